"""Reads of cases, always scoped to the user's organisation and role."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts import permissions
from accounts.models import Role

from .models import Case, Person


def cases_visible_to(*, user, access) -> QuerySet[Case]:
    """Every case this user may open in the organisation they are working in.

    Managers and organisation admins: all of them. Officers: every case that is not
    restricted, and restricted ones they are assigned to or named on. Staff who only log
    reports: the cases they logged or are named on. Panel members: none (they see the
    panel's summaries instead). Another organisation's case is never in the set.
    """
    if access.organisation is None:
        return Case.objects.none()
    cases = Case.objects.filter(organisation=access.organisation)
    if access.can(permissions.MANAGE):
        return cases
    named = Q(assigned_officer=user) | Q(named_staff=user)
    if access.can({Role.OFFICER}):
        return cases.filter(Q(restricted=False) | Q(pk__in=cases.filter(named).values("pk")))
    if access.can({Role.STAFF}):
        mine = Q(created_by=user, restricted=False) | named
        return cases.filter(pk__in=cases.filter(mine).values("pk"))
    return Case.objects.none()


def case_get_for_user(*, user, access, pk: int) -> Case:
    """One case the user may open, or 404 (never 403: its existence is not disclosed)."""
    try:
        return (
            cases_visible_to(user=user, access=access)
            .select_related("organisation", "area", "assigned_officer", "created_by")
            .get(pk=pk)
        )
    except Case.DoesNotExist as missing:
        raise Http404("No such case.") from missing


def people_visible_to(*, access) -> QuerySet[Person]:
    if access.organisation is None or not access.can(permissions.WORK_CASES | {Role.STAFF}):
        return Person.objects.none()
    return Person.objects.filter(organisation=access.organisation)


def cases_for_list(*, user, access, scope: str = "mine") -> QuerySet[Case]:
    """The case list's rows. Officers see their own and their areas' cases unless they ask
    for everything they may open (``scope="all"``); managers see the organisation's."""
    from .models import CaseParty

    cases = cases_visible_to(user=user, access=access)
    if scope != "all" and not access.can(permissions.MANAGE):
        areas = user.memberships.filter(organisation=access.organisation).values("areas")
        cases = cases.filter(Q(assigned_officer=user) | Q(area__in=areas) | Q(created_by=user))
    return cases.select_related("area", "assigned_officer").prefetch_related(
        Prefetch(
            "parties",
            queryset=CaseParty.objects.filter(role__in=["victim", "complainant"]).select_related(
                "person"
            ),
            to_attr="victims",
        )
    )


def people_possible_matches(
    *, user, access, full_name: str, date_of_birth=None, postcode: str = ""
) -> list[Person]:
    """People already on file who may be the person being entered: the same name, or the
    same date of birth with a similar name, or the same postcode with the same surname.

    Someone in a restricted case this user may not open is never suggested: the suggestion
    would show their date of birth and postcode to staff outside the case.
    """
    organisation = access.organisation
    name = " ".join(full_name.split())
    if not name:
        return []
    surname = name.split()[-1]
    match = Q(full_name__iexact=name)
    if date_of_birth:
        match |= Q(date_of_birth=date_of_birth, full_name__icontains=surname)
    clean_postcode = postcode.replace(" ", "").upper()
    if clean_postcode:
        match |= Q(postcode__iexact=postcode.strip(), full_name__icontains=surname)
    candidates = Person.objects.filter(organisation=organisation).filter(match)
    if not access.can(permissions.MANAGE):
        hidden = Case.objects.filter(organisation=organisation, restricted=True).exclude(
            pk__in=cases_visible_to(user=user, access=access).values("pk")
        )
        candidates = candidates.exclude(case_roles__case__in=hidden)
    return list(candidates.order_by("pk")[:5])


def case_file(*, case: Case) -> dict:
    """Everything on the case page, in a fixed number of queries, with one timeline."""
    from .models import CaseParty, CaseReview, Contact, Evidence, Incident, Note

    parties = list(
        CaseParty.objects.filter(case=case).select_related("person", "person__tenancy_holder")
    )
    incidents = list(
        Incident.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("acts", "grounds", "parties__person")
    )
    contacts = list(
        Contact.objects.filter(case=case).select_related("party__person", "recorded_by")
    )
    notes = list(Note.objects.filter(case=case).select_related("author"))
    evidence = list(Evidence.objects.filter(case=case).select_related("uploaded_by"))
    reviews = list(CaseReview.objects.filter(case=case).select_related("reviewed_by"))
    timeline = (
        [("incident", i.occurred_at, i) for i in incidents]
        + [("contact", c.occurred_at, c) for c in contacts]
        + [("note", n.created_at, n) for n in notes]
        + [("evidence", e.uploaded_at, e) for e in evidence]
        + [("review", r.reviewed_at, r) for r in reviews]
        + [("party", p.created_at, p) for p in parties]
    )
    timeline.sort(key=lambda entry: entry[1], reverse=True)
    return {
        "parties": parties,
        "incidents": incidents,
        "contacts": contacts,
        "notes": notes,
        "evidence": evidence,
        "timeline": [{"kind": k, "at": at, "item": item} for k, at, item in timeline],
    }


def person_get_for_user(*, access, pk: int) -> Person:
    try:
        return people_visible_to(access=access).get(pk=pk)
    except Person.DoesNotExist as missing:
        raise Http404("No such person.") from missing


def person_roles(*, person: Person, user, access):
    """C18: every case this person is in and their role there, that this user may open."""
    from .models import CaseParty

    visible = cases_visible_to(user=user, access=access)
    return (
        CaseParty.objects.filter(person=person, case__in=visible)
        .select_related("case", "case__assigned_officer")
        .order_by("-case__received_at", "role")
    )
