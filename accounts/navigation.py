"""Navigation by role: each entry names the roles that see it. Later features add entries."""

from dataclasses import dataclass

from django.urls import reverse

from . import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    menu: str = ""  # "" for the top bar; otherwise the dropdown it sits in


ORGANISATION_MENU = "Organisation"


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "home", permissions.ANY_ROLE),
    NavItem("Log a report", "cases:log", permissions.LOG_CASES),
    NavItem("Cases", "cases:list", permissions.LOG_CASES),
    NavItem("Members", "accounts:members", permissions.MANAGE, ORGANISATION_MENU),
    NavItem("My work", "deadlines:my_work", permissions.WORK_CASES),
    NavItem("Team deadlines", "deadlines:team", permissions.MANAGE),
    NavItem("Dashboards", "dashboards:dashboard", permissions.MANAGE),
    NavItem("Policy", "policy:overview", permissions.MANAGE, ORGANISATION_MENU),
    NavItem(
        "Working hours and switches",
        "policy:settings",
        permissions.ADMINISTER,
        ORGANISATION_MENU,
    ),
    NavItem("Transfers", "transfers:referral_list", permissions.WORK_CASES),
    NavItem("Letters", "letters:outstanding", permissions.WORK_CASES),
    NavItem("Housing panel", "transfers:panel_home", permissions.SIT_ON_PANEL | {"manager"}),
    NavItem("Online reports", "online_reports:queue", permissions.LOG_CASES),
    NavItem(
        "Support agencies",
        "support:agencies",
        permissions.WORK_CASES | permissions.MANAGE,
        ORGANISATION_MENU,
    ),
    NavItem("Risk questions", "risk:question_sets", permissions.ADMINISTER, ORGANISATION_MENU),
    NavItem("Letter templates", "letters:templates", permissions.ADMINISTER, ORGANISATION_MENU),
    NavItem(
        "Subject access and rectification",
        "subject_access:requests",
        permissions.MANAGE,
        ORGANISATION_MENU,
    ),
]


def items_for(access) -> list[dict[str, str]]:
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "url_name": item.url_name,
            "menu": item.menu,
        }
        for item in NAV_ITEMS
        if access.can(item.roles)
    ]
