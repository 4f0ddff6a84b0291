"""Navigation by role: each entry names the roles that see it. Later features add entries.

The entries a set of roles sees, their URLs and the navigation bar's HTML depend only on the
roles, the URL prefix the site is served under and the page being shown, never on the
request otherwise: each is worked out once per process and reused (a page used to reverse
every entry's URL and render every entry through the template engine on every request).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
    NavItem("Retention and erasure", "retention:overview", permissions.MANAGE, ORGANISATION_MENU),
    NavItem(
        "Subject access and rectification",
        "subject_access:requests",
        permissions.MANAGE,
        ORGANISATION_MENU,
    ),
]


def items_for(access) -> list[dict[str, str]]:
    """The entries ``access`` sees, in order: label, URL, URL name and menu ("" for the bar)."""
    if access.organisation is None:
        return []
    return [dict(item) for item in _items(frozenset(access.roles), _where())]


def _where() -> tuple[str, str]:
    """What reverse() depends on besides the name: the URL prefix and the URLconf."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@lru_cache(maxsize=256)
def _items(roles: frozenset[str], where: tuple[str, str]) -> tuple[dict[str, str], ...]:
    return tuple(
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "url_name": item.url_name,
            "menu": item.menu,
        }
        for item in NAV_ITEMS
        if roles & item.roles
    )


def navigation_html(access, current: str | None) -> SafeString:
    """The navigation bar's entries for ``access`` with ``current`` (the page's URL name)
    marked as the page shown: the top-bar links, then each dropdown of the rest."""
    if access is None or access.organisation is None:
        return mark_safe("")
    return _navigation_html(frozenset(access.roles), _where(), current or "")


@lru_cache(maxsize=1024)
def _navigation_html(roles: frozenset[str], where: tuple[str, str], current: str) -> SafeString:
    items = _items(roles, where)

    def link(item: dict[str, str], css: str) -> SafeString:
        active = item["url_name"] == current
        return format_html(
            '<a class="{}{}"{} href="{}">{}</a>',
            css,
            " active" if active else "",
            mark_safe(' aria-current="page"') if active else "",
            item["url"],
            item["label"],
        )

    bar = format_html_join(
        "\n",
        '<li class="nav-item{}">{}</li>',
        (
            # Home hides between 1200 and 1399 px (the Haven name links home) so the bar fits.
            (" nav-home" if item["url_name"] == "home" else "", link(item, "nav-link"))
            for item in items
            if not item["menu"]
        ),
    )
    menus: dict[str, list[dict[str, str]]] = {}
    for item in sorted((i for i in items if i["menu"]), key=lambda i: i["menu"]):
        menus.setdefault(item["menu"], []).append(item)
    dropdowns = format_html_join(
        "\n",
        '<li class="nav-item dropdown">\n<button class="nav-link dropdown-toggle btn btn-link" '
        'type="button" data-bs-toggle="dropdown" aria-expanded="false">{}</button>\n'
        '<ul class="dropdown-menu">{}</ul>\n</li>',
        (
            (
                menu,
                format_html_join(
                    "", "<li>{}</li>", ((link(item, "dropdown-item"),) for item in entries)
                ),
            )
            for menu, entries in menus.items()
        ),
    )
    return mark_safe(f"{bar}\n{dropdowns}")  # noqa: S308 - both parts built by format_html
