"""The case list, the case page and a person's page (C18)."""

import secrets
from functools import cached_property, lru_cache

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Value
from django.forms import ModelChoiceField
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for_case
from deadlines.templatetags.deadline_tags import deadline_action_finder
from enforcement.models import EnforcementAction
from enforcement.selectors import enforcement_actions_panel
from letters.models import CaseClosure, FalseReportConcern, Letter
from letters.selectors import case_letters_panel
from policy.calendar import WorkingCalendar
from policy.settings import policy_for
from repairs.models import Repair
from repairs.selectors import repairs_panel
from risk.models import Assessment
from risk.selectors import risk_panel
from support.models import ActionPlan, SafeguardingReferral, SupportReferral
from support.selectors import plan_panel, support_panel
from transfers.models import TransferReferral

from ..filters import CaseFilter
from ..forms.changes import REASON_MAX_CHARS
from ..forms.intake import officer_choices
from ..models import CaseAccess, CaseReview, Contact, Evidence, Note
from ..next_steps import TaskLinks, case_tasks
from ..selectors import (
    case_file,
    case_officer_groups,
    cases_for_list,
    cases_sorted_by_officer,
    tenancy_holders_shown,
)
from .access import case_view, person_view
from .common import pk_url
from .list_rows import case_rows_draw
from .timeline import timeline_draw

PAGE_SIZE = 25


# Names typed into the search box never travel in a URL, where the web server's access log
# (and the browser's history, and the Referer of the next page) would keep them: the form is
# posted, the terms are held in the session under a random key, and the list is shown at
# ?search=<key>. The other filters (status, risk, area, officer...) stay in the URL, so those
# can be bookmarked and shared.
SEARCH_PARAM = "search"
SESSION_SEARCHES = "case_list_searches"
SEARCHES_KEPT = 10


def _search_redirect(request):
    kept = set(CaseFilter.base_filters) - {"q"} | {"scope"}
    query = QueryDict(mutable=True)
    for name in sorted(kept):
        for value in request.POST.getlist(name):
            if value:
                query.appendlist(name, value)
    terms = " ".join(request.POST.get("q", "").split())
    if terms:
        searches = request.session.get(SESSION_SEARCHES, {})
        key = secrets.token_urlsafe(6)
        searches[key] = terms
        # Oldest first (dicts keep order): keep the last few, for the back button.
        request.session[SESSION_SEARCHES] = dict(list(searches.items())[-SEARCHES_KEPT:])
        query[SEARCH_PARAM] = key
    url = reverse("cases:list")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _filter_data(request) -> tuple[QueryDict, bool]:
    """The list's filters from the URL, with the search terms the key stands for. A name put
    in the URL by hand (?q=) is not searched for, so no link or bookmark ever carries one."""
    data = request.GET.copy()
    data.pop("q", None)
    data.pop("page", None)
    key = data.pop(SEARCH_PARAM, [""])[-1]
    terms = request.session.get(SESSION_SEARCHES, {}).get(key) if key else None
    if terms:
        data["q"] = terms
    return data, bool(key) and not terms


# An exact count of a large organisation's cases reads every one of them; the list counts
# only this far past the page asked for and says "more than" beyond it.
COUNT_AHEAD = 1000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_AHEAD`` rows past the start of the page asked for: enough to
    page on from there, never a count of the whole organisation."""

    def __init__(self, object_list, per_page, *, page_asked, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            number = max(int(page_asked), 1)
        except (TypeError, ValueError):
            number = 1
        self.limit = (number - 1) * per_page + COUNT_AHEAD

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.limit

    @property
    def pages_known(self) -> int:
        return self.limit // self.per_page


class OfficerSortedPaginator(CappedPaginator):
    """The list sorted by officer's name (``descending`` for ``-officer``): the count comes
    from each officer's count of cases, which also says which officers a page spans, so no
    request sorts the organisation's cases by a joined name. Counts and pages read as
    ``CappedPaginator``'s do."""

    def __init__(self, object_list, per_page, *, page_asked, descending: bool):
        super().__init__(object_list, per_page, page_asked=page_asked)
        self.descending = descending

    @cached_property
    def groups(self):
        return case_officer_groups(cases=self.object_list, descending=self.descending)

    @cached_property
    def count(self):
        return min(sum(held for _, held in self.groups), self.limit + 1)

    def page(self, number):
        number = self.validate_number(number)
        rows = cases_sorted_by_officer(
            cases=self.object_list,
            groups=self.groups,
            descending=self.descending,
            offset=(number - 1) * self.per_page,
            limit=self.per_page,
        )
        return self._get_page(rows, number, self)


def _officer_sort(case_filter) -> bool | None:
    """Whether the list is sorted by officer descending (None when not by officer)."""
    if not case_filter.is_bound or not case_filter.form.is_valid():
        return None
    sort = case_filter.form.cleaned_data.get("sort") or []
    if sort in (["officer"], ["-officer"]):
        return sort[0].startswith("-")
    return None


def _filter_bar(form, *, officers) -> list[dict]:
    """The filter form as plain data for a plain template: a label, a value and, for a
    select, its options with the chosen one marked. Drawing eight fields through crispy
    forms cost more than the rest of the page."""
    bar = []
    for bound in form:
        field = bound.field
        value = bound.value()
        if isinstance(value, list):  # the sort, a comma-separated field
            value = value[0] if value else None
        value = "" if value is None else str(value)
        entry = {
            "name": bound.html_name,
            "id": bound.auto_id,
            "label": bound.label,
            "value": value,
            "errors": bound.errors,
            "options": None,
        }
        if bound.name == "assigned_officer":
            choices = [("", field.empty_label)] + [
                (officer.pk, field.label_from_instance(officer)) for officer in officers
            ]
        elif isinstance(field, ModelChoiceField):
            # Read as a plain list: a model field's own choices iterate the queryset with
            # .iterator(), which on PostgreSQL declares, fetches from and closes a cursor.
            choices = [("", field.empty_label)] if field.empty_label is not None else []
            choices += [(row.pk, field.label_from_instance(row)) for row in field.queryset]
        else:
            choices = getattr(field, "choices", None)
        if choices is not None:
            entry["options"] = [
                {"value": str(key), "label": label, "selected": str(key) == value}
                for key, label in choices
            ]
        bar.append(entry)
    return bar


def _url_maker(name: str):
    """A function giving ``name``'s URL for a primary key, reversed once, not once per row."""
    marker = "2147483647"
    pattern = reverse(name, args=[int(marker)])
    return lambda pk: pattern.replace(marker, str(pk))


@permissions.role_required(permissions.LOG_CASES)
def case_list(request):
    if request.method == "POST":
        return _search_redirect(request)
    access = request.access
    may_see_all_areas = not access.can(permissions.MANAGE)
    scope = request.GET.get("scope", "mine") if may_see_all_areas else "all"
    cases = cases_for_list(user=request.user, access=access, scope=scope)
    data, search_expired = _filter_data(request)
    case_filter = CaseFilter(data or None, queryset=cases, organisation=access.organisation)
    rows = case_filter.qs if case_filter.is_bound else cases
    if not request.GET.get("sort"):
        rows = rows.order_by("-received_at", "-pk")
    page_asked = request.GET.get("page")
    by_officer = _officer_sort(case_filter)
    if by_officer is None:
        paginator = CappedPaginator(rows, PAGE_SIZE, page_asked=page_asked)
    else:
        paginator = OfficerSortedPaginator(
            rows, PAGE_SIZE, page_asked=page_asked, descending=by_officer
        )
    page = paginator.get_page(page_asked)
    detail_url = _url_maker("cases:detail")
    for case in page:
        # A victim who reported it is also the complainant: name them once.
        case.victim_names = list(dict.fromkeys(party.display_name for party in case.victims))
        case.detail_url = detail_url(case.pk)
    officers = list(officer_choices(access.organisation))
    # Managers reassign ticked cases (cases:bulk_reassign validates the post).
    may_reassign = access.can(permissions.MANAGE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "filter": case_filter,
            "filter_bar": _filter_bar(case_filter.form, officers=officers),
            # A filtered list (or one with a mistake in its filters) shows them on a phone too.
            "filters_open": case_filter.is_bound,
            "page": page,
            "case_rows": case_rows_draw(page, may_reassign=may_reassign),
            "scope": scope,
            "scope_toggle": may_see_all_areas,
            "query_string": query.urlencode(),
            "search_expired": search_expired,
            "may_reassign": may_reassign,
            "officers": officers,
            "reason_max_chars": REASON_MAX_CHARS,
        },
    )


def _link_rows(record: dict, *, case, may_work: bool, may_manage: bool) -> None:
    """The links beside each timeline entry and person, each kind reversed once."""
    if may_work:
        edit, involved = (
            pk_url("cases:incident_edit", case.pk),
            pk_url("cases:incident_parties", case.pk),
        )
        for incident in record["incidents"]:
            incident.edit_url, incident.parties_url = edit(incident.pk), involved(incident.pk)
        remove, person = pk_url("cases:party_remove", case.pk), pk_url("cases:person")
        for party in record["parties"]:
            party.remove_url = remove(party.pk)
            party.person_url = person(party.person_id) if party.person_id else ""
    if may_work or may_manage:
        download = pk_url("cases:evidence_download", case.pk)
        for item in record["evidence"]:
            item.download_url = download(item.pk)


# The case page's parts that may have no rows, by the model holding them.
CASE_PARTS = {
    "contacts": Contact,
    "notes": Note,
    "evidence": Evidence,
    "reviews": CaseReview,
    "deadlines": Deadline,
    "assessments": Assessment,
    "support_referrals": SupportReferral,
    "safeguarding": SafeguardingReferral,
    "plan": ActionPlan,
    "repairs": Repair,
    "enforcement": EnforcementAction,
    "letters": Letter,
    "concerns": FalseReportConcern,
    "closures": CaseClosure,
    "transfers": TransferReferral,
}


def _case_contents(case) -> set[str]:
    """Which of the case page's parts have any rows, in one query (a UNION of an index
    lookup by case in each table): the parts known to be empty are then not queried at all.
    Most cases have few kinds of record, so most panels cost nothing."""
    sql, params = _case_contents_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk if param is _CASE else param for param in params])
        return {row[0] for row in cursor.fetchall()}


# Stands for the case's key in the compiled statement (any integer no case has).
_CASE_MARKER = -2147483647


class _CaseParameter:
    """Marks where the case's key goes among the compiled statement's parameters."""


_CASE = _CaseParameter()


@lru_cache(maxsize=4)
def _case_contents_sql(vendor: str) -> tuple[str, tuple]:
    """``_case_contents``'s statement, compiled by the ORM once per process: compiling its
    fifteen probes was a fifth of the case page's Python. The case's key is a parameter."""
    name = CharField()
    probes = [
        model.objects.filter(case_id=_CASE_MARKER).order_by().values_list(Value(part, name))
        for part, model in CASE_PARTS.items()
    ]
    sql, params = probes[0].union(*probes[1:]).query.sql_with_params()
    return sql, tuple(_CASE if param == _CASE_MARKER else param for param in params)


def _task_links(case, *, may_work: bool, may_manage: bool) -> TaskLinks:
    """Where each task on the case page is done, reversed once per page; a page the user
    may not use is left out, so its task shows without a button."""
    finder = deadline_action_finder()

    def deadline_link(deadline):
        action = finder(deadline) if may_work else None
        return (action["url"], action["label"]) if action else None

    if not may_work:
        return TaskLinks(
            deadline=deadline_link,
            reassign=reverse("cases:reassign", args=[case.pk]) if may_manage else "",
        )
    return TaskLinks(
        deadline=deadline_link,
        reassign=reverse("cases:reassign", args=[case.pk]) if may_manage else "",
        add_party=reverse("cases:party_add", args=[case.pk]),
        add_incident=reverse("cases:incident_add", args=[case.pk]),
        add_contact=reverse("cases:contact_add", args=[case.pk]),
        assessment=reverse("risk:assessment_new", args=[case.pk]),
        plan=reverse("support:plan_agree", args=[case.pk]),
        incidents="#timeline-heading",
        parties="#parties",
    )


def _calendar(case, deadlines) -> WorkingCalendar:
    """The organisation's working calendar, read only when a live deadline needs it."""
    if any(deadline.is_live for deadline in deadlines):
        return WorkingCalendar.for_policy(policy_for(case.organisation))
    return WorkingCalendar()


@permissions.role_required(permissions.LOG_CASES)
@case_view(CaseAccess.Action.VIEWED)
def case_detail(request, case):
    present = _case_contents(case)
    record = case_file(case=case, present=present)
    holders = tenancy_holders_shown(
        people=[party.person for party in record["parties"] if party.person],
        user=request.user,
        access=request.access,
    )
    for party in record["parties"]:
        party.holder_shown = holders.get(party.person_id)
    may_work = request.access.can(permissions.WORK_CASES)
    may_manage = request.access.can(permissions.MANAGE)
    _link_rows(record, case=case, may_work=may_work, may_manage=may_manage)
    timeline_draw(record["timeline"], may_work=may_work, may_manage=may_manage)
    deadlines = list(deadlines_for_case(case)) if "deadlines" in present else []
    risk = risk_panel(case=case, any_assessments="assessments" in present)
    action_plan = plan_panel(case=case, any_plan="plan" in present)
    tasks = case_tasks(
        case=case,
        parties=record["parties"],
        incidents=record["incidents"],
        contacts=record["contacts"],
        deadlines=deadlines,
        risk_due=risk["due"],
        plan=action_plan["plan"],
        now=timezone.now(),
        calendar=_calendar(case, deadlines),
        links=_task_links(case, may_work=may_work, may_manage=may_manage),
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            **record,
            "tasks": tasks,
            "deadlines": deadlines,
            "may_work": may_work,
            "may_manage": may_manage,
            "risk": risk,
            "support": support_panel(
                case=case,
                contacts=record["contacts"],
                incidents=record["incidents"],
                any_referrals="support_referrals" in present,
                any_safeguarding="safeguarding" in present,
            ),
            "action_plan": action_plan,
            "repairs": repairs_panel(case=case, any_repairs="repairs" in present),
            "enforcement": enforcement_actions_panel(
                case=case, any_actions="enforcement" in present
            ),
            **case_letters_panel(
                case=case,
                any_letters="letters" in present,
                any_concerns="concerns" in present,
                any_closures="closures" in present,
            ),
            "no_transfer_referrals": "transfers" not in present,
        },
    )


@permissions.role_required(permissions.WORK_CASES)
@person_view(CaseAccess.Action.VIEWED_PERSON)
def person_detail(request, person, roles):
    holders = tenancy_holders_shown(people=[person], user=request.user, access=request.access)
    return render(
        request,
        "cases/person_detail.html",
        {"person": person, "roles": roles, "holder": holders.get(person.pk)},
    )
