"""Reads of cases, always scoped to the user's organisation and role."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections, models
from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404

from accounts import permissions
from accounts.models import Role, User

from .models import Case, CaseParty, Person
from .models.choices import PartyRole


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
    # Each branch is served by an index (officer, creator, the named-staff table by user):
    # no subquery over the whole organisation's cases, no join that repeats a case.
    named_on = Case.named_staff.through.objects.filter(user=user).values("case_id")
    named = Q(assigned_officer=user) | Q(pk__in=named_on)
    if access.can({Role.OFFICER}):
        return cases.filter(Q(restricted=False) | named)
    if access.can({Role.STAFF}):
        return cases.filter(Q(created_by=user, restricted=False) | named)
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


def restricted_cases_hidden_from(*, user, access) -> QuerySet[Case]:
    """The organisation's restricted cases this user may not open."""
    return Case.objects.filter(organisation=access.organisation, restricted=True).exclude(
        pk__in=cases_visible_to(user=user, access=access).values("pk")
    )


def people_visible_to(*, user, access) -> QuerySet[Person]:
    """Every person of the organisation this user may see, in one query.

    A person who appears only on restricted cases the user may not open is hidden: their
    page, their edit page and every list of people to choose from treat them as if they did
    not exist. Someone on at least one case the user is not kept out of (any unrestricted
    case, or a restricted one they are assigned to or named on) stays visible, and so does
    someone on no case at all (a tenancy holder recorded only through a household member's
    tenancy): there is no restricted case to hide them behind. Managers and
    organisation admins see everyone, as they see every case; panel members and users
    without a role in the organisation see no one.
    """
    if access.organisation is None or not access.can(permissions.LOG_CASES):
        return Person.objects.none()
    people = Person.objects.filter(organisation=access.organisation)
    if access.can(permissions.MANAGE):
        return people
    hidden = restricted_cases_hidden_from(user=user, access=access)
    roles = CaseParty.objects.filter(person=OuterRef("pk"))
    return people.filter(
        ~Exists(roles.filter(case__in=hidden)) | Exists(roles.exclude(case__in=hidden))
    )


def person_get_for_user(*, user, access, pk: int) -> Person:
    """One person the user may see (``people_visible_to``), or 404 for anyone else."""
    try:
        return (
            people_visible_to(user=user, access=access)
            .select_related("organisation", "tenancy_holder")
            .get(pk=pk)
        )
    except Person.DoesNotExist as missing:
        raise Http404("No such person.") from missing


def person_get_for_update(*, user, access, pk: int) -> Person:
    """One person the user may see and change (officers and managers), or 404."""
    if not access.can(permissions.WORK_CASES):
        raise Http404("No such person.")
    return person_get_for_user(user=user, access=access, pk=pk)


def people_offered_to(*, user, organisation) -> QuerySet[Person]:
    """``people_visible_to`` for a service that has the acting user and the organisation but
    no request: the people it may link when it is handed one by id."""
    access = permissions.access_for(user, organisation.pk)
    if access.organisation is None or access.organisation.pk != organisation.pk:
        return Person.objects.none()
    return people_visible_to(user=user, access=access)


def person_offered_to(*, user, organisation, person: Person) -> bool:
    """Whether ``person`` is one of the people this user may choose from in ``organisation``:
    what a service checks before linking a person it was given by id."""
    return people_offered_to(user=user, organisation=organisation).filter(pk=person.pk).exists()


def cases_for_list(*, user, access, scope: str = "mine") -> QuerySet[Case]:
    """The case list's rows. Officers see their own and their areas' cases unless they ask
    for everything they may open (``scope="all"``); managers see the organisation's."""
    cases = cases_visible_to(user=user, access=access)
    if scope != "all" and not access.can(permissions.MANAGE):
        areas = user.memberships.filter(organisation=access.organisation).values("areas")
        cases = cases.filter(Q(assigned_officer=user) | Q(area__in=areas) | Q(created_by=user))
    # Only the columns the list shows (cases/views/list_rows.py): the report's text and the
    # search document stay out of the rows a sort has to hold, and each row builds three
    # small objects, not a case, an officer and a person of thirty columns each.
    cases = cases.only(*LIST_COLUMNS)
    return cases.select_related("area", "assigned_officer").prefetch_related(
        Prefetch(
            "parties",
            queryset=CaseParty.objects.filter(role__in=["victim", "complainant"])
            .select_related("person")
            .only(*VICTIM_COLUMNS),
            to_attr="victims",
        )
    )


# What the case list reads of each case, its officer and area, and of each victim or
# complainant (``CaseParty.display_name``).
LIST_COLUMNS = (
    "reference",
    "restricted",
    "course_of_conduct",
    "received_at",
    "category",
    "status",
    "risk_level",
    "area__name",
    "assigned_officer__full_name",
)
VICTIM_COLUMNS = ("case_id", "role", "perpetrator_kind", "description", "person__full_name")


# The list sorted by officer orders cases by the assigned officer's name, then by the primary
# key. Sorting every visible case by a joined name reads them all; officers are few and cases
# many, so the page is found from each officer's count instead, and read from the index on
# (organisation, assigned officer, id) between two primary keys.
def case_officer_groups(*, cases: QuerySet[Case], descending: bool) -> list[tuple[list, int]]:
    """How many of ``cases`` each officer holds, in the order the list sorts them: the
    officers' ids (officers of the same name are one group, their cases interleaved by
    primary key) and the count. Unassigned cases are the group ``[None]``, placed where the
    database puts a missing name (PostgreSQL: last ascending, first descending)."""
    # Counted by officer first (the index on organisation, officer), and only then each
    # officer's name looked up: joining the name to every case before grouping sorts them all.
    name = Subquery(
        User.objects.filter(pk=OuterRef("assigned_officer")).order_by().values("full_name")
    )
    counts = (
        cases.order_by()
        .values("assigned_officer")
        .annotate(held=Count("pk"))
        .annotate(officer_name=name)
        .order_by("-officer_name" if descending else "officer_name", "assigned_officer")
        .values_list("assigned_officer", "officer_name", "held")
    )
    groups: list[tuple[list, int]] = []
    last_name: object = object()
    for officer, officer_name, held in counts:
        if groups and officer_name == last_name and officer is not None:
            ids, total = groups[-1]
            groups[-1] = (ids + [officer], total + held)
        else:
            groups.append(([officer], held))
        last_name = officer_name
    return groups


def _officer_group(ids: list) -> Q:
    return Q(assigned_officer__isnull=True) if ids == [None] else Q(assigned_officer__in=ids)


def cases_sorted_by_officer(
    *,
    cases: QuerySet[Case],
    groups: list[tuple[list, int]],
    descending: bool,
    offset: int,
    limit: int,
) -> list[Case]:
    """``cases[offset:offset + limit]`` in the order officer's name, then primary key (both
    reversed when ``descending``), from ``case_officer_groups``' counts: only the officers
    the page spans are read, each between the primary keys where the page starts and ends
    in their cases (found by the index), so at most ``limit`` rows are fetched and sorted."""
    pk_order = "-pk" if descending else "pk"
    spanned, start = [], 0
    for ids, held in groups:
        end = start + held
        if end > offset and start < offset + limit:
            spanned.append((ids, max(offset - start, 0), min(offset + limit, end) - start, held))
        if end >= offset + limit:
            break
        start = end
    if not spanned:
        return []
    wanted, ranks = Q(), []
    for rank, (ids, first, stop, held) in enumerate(spanned):
        group = _officer_group(ids)
        keys = cases.filter(group).order_by(pk_order).values("pk")
        condition = group
        if first > 0:
            bound = Subquery(keys[first : first + 1])
            condition &= Q(pk__lte=bound) if descending else Q(pk__gte=bound)
        if stop < held:
            bound = Subquery(keys[stop - 1 : stop])
            condition &= Q(pk__gte=bound) if descending else Q(pk__lte=bound)
        wanted |= condition
        ranks.append(When(group, then=Value(rank)))
    rows = cases.filter(wanted)
    if len(spanned) > 1:
        rows = rows.alias(officer_rank=models.Case(*ranks)).order_by("officer_rank", pk_order)
    else:
        rows = rows.order_by(pk_order)
    return list(rows[:limit])


# pg_trgm makes no trigram of a word shorter than this: such a word is looked up in the
# full-text index instead, as the beginning of a word ("jo" finds "Jones").
TRIGRAM_WORD = 3


def cases_matching(*, cases: QuerySet[Case], terms: str) -> QuerySet[Case]:
    """The cases among ``cases`` whose search document (reference, where it happened, the
    parties' names, known-as and descriptions) contains every word of ``terms``.

    ``cases`` is already the user's visible cases of one organisation, so a restricted case
    is never found by a colleague not on it, whoever is named on it. On PostgreSQL a word of
    three letters or more is a LIKE served by the trigram index; words too short for
    trigrams are matched beside it as they are, or, when every word is that short, as the
    beginning of a word through the full-text index ("jo" finds "Jones"). SQLite scans,
    which is fine at its size.
    """
    words = terms.lower().split()
    if not words:
        return cases
    postgres = connections[cases.db].vendor == "postgresql"
    if postgres and all(len(word) < TRIGRAM_WORD for word in words):
        # Recomputing each candidate's tsvector is dear: only when no word can use trigrams.
        prefixes = " & ".join(
            "'{}':*".format(word.replace("\\", "\\\\").replace("'", "''")) for word in words
        )
        return cases.alias(search_words=SearchVector("search_document", config="simple")).filter(
            search_words=SearchQuery(prefixes, search_type="raw", config="simple")
        )
    for word in words:
        cases = cases.filter(search_document__contains=word)
    return cases


def people_possible_matches(
    *, user, access, full_name: str, date_of_birth=None, postcode: str = ""
) -> list[Person]:
    """People already on file who may be the person being entered: the same name, or the
    same date of birth with a similar name, or the same postcode with the same surname.

    Only people visible to this user are suggested (``people_visible_to``): someone who
    appears only on restricted cases the user may not open would otherwise have their date
    of birth and postcode shown to staff outside the case.
    """
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
    candidates = people_visible_to(user=user, access=access).filter(match)
    return list(candidates.order_by("pk")[:5])


def _incident_details(incidents: list, parties: list[CaseParty]) -> None:
    """Each incident's acts and grounds (as labels) and the parties involved, in one query:
    a UNION ALL of the three link tables, with the parties taken from those already loaded
    for the page (an incident involves only its case's parties)."""
    from .models import Incident, IncidentActEntry, IncidentGroundEntry
    from .models.choices import HateGround, IncidentAct

    for incident in incidents:
        incident.act_labels, incident.ground_labels, incident.involved = [], [], []
    if not incidents:
        return
    ids = [incident.pk for incident in incidents]
    through = Incident.parties.through
    text = CharField()
    rows = (
        IncidentActEntry.objects.filter(incident_id__in=ids)
        .order_by()
        .values_list("incident_id", Value("act", output_field=text), "act", "pk")
        .union(
            IncidentGroundEntry.objects.filter(incident_id__in=ids)
            .order_by()
            .values_list("incident_id", Value("ground", output_field=text), "ground", "pk"),
            through.objects.filter(incident_id__in=ids)
            .order_by()
            .values_list(
                "incident_id",
                Value("party", output_field=text),
                Cast("caseparty_id", output_field=text),
                "pk",
            ),
            all=True,
        )
    )
    by_id = {incident.pk: incident for incident in incidents}
    party_by_id = {str(party.pk): party for party in parties}
    acts, grounds = dict(IncidentAct.choices), dict(HateGround.choices)

    # Acts and grounds in the order recorded; people in the order they joined the case (the
    # link rows' own keys follow whatever order Django's m2m set() inserted them in).
    def order(row):
        return (row[1], int(row[2]) if row[1] == "party" else row[3])

    for incident_id, kind, value, _pk in sorted(rows, key=order):
        incident = by_id[incident_id]
        if kind == "act":
            incident.act_labels.append(acts.get(value, value))
        elif kind == "ground":
            incident.ground_labels.append(grounds.get(value, value))
        elif value in party_by_id:
            incident.involved.append(party_by_id[value])


def case_file(*, case: Case, present: set[str] | None = None) -> dict:
    """Everything on the case page, in a fixed number of queries, with one timeline.

    ``present``: the kinds of record the case has (``contacts``, ``notes``, ``evidence``,
    ``reviews``), when the caller has asked already; a kind left out is not queried."""
    from .models import CaseReview, Contact, Evidence, Incident, Note

    def rows(kind: str, queryset) -> list:
        return list(queryset) if present is None or kind in present else []

    parties = list(
        CaseParty.objects.filter(case=case).select_related("person", "person__tenancy_holder")
    )
    incidents = list(Incident.objects.filter(case=case).select_related("recorded_by"))
    _incident_details(incidents, parties)
    party_by_id = {party.pk: party for party in parties}
    contacts = rows("contacts", Contact.objects.filter(case=case).select_related("recorded_by"))
    for contact in contacts:
        # The case's parties are loaded already: no second join to them and their people.
        if contact.party_id in party_by_id:
            contact.party = party_by_id[contact.party_id]
    notes = rows("notes", Note.objects.filter(case=case).select_related("author"))
    evidence = rows("evidence", Evidence.objects.filter(case=case).select_related("uploaded_by"))
    reviews = rows("reviews", CaseReview.objects.filter(case=case).select_related("reviewed_by"))
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


def person_roles(*, person: Person, user, access):
    """C18: every case this person is in and their role there, that this user may open."""
    visible = cases_visible_to(user=user, access=access)
    return (
        CaseParty.objects.filter(person=person, case__in=visible)
        .select_related("case", "case__assigned_officer")
        .order_by("-case__received_at", "role")
    )


def tenancy_holders_shown(*, people, user, access) -> dict[int, Person]:
    """Each person's tenancy holder (C10) by the person's id, leaving out a holder this
    user may not see, in one query: a household member's page must not name a tenant who
    appears only on restricted cases the user may not open."""
    holder_ids = {p.tenancy_holder_id for p in people if p.tenancy_holder_id}
    if not holder_ids:
        return {}
    shown = {
        holder.pk: holder
        for holder in people_visible_to(user=user, access=access).filter(pk__in=holder_ids)
    }
    return {p.pk: shown[p.tenancy_holder_id] for p in people if p.tenancy_holder_id in shown}


def complainant_names(*, case_ids, visible: QuerySet[Case]) -> dict[int, str]:
    """Each case's complainant's name (else its first victim's), by case id, in one query,
    for lists of the user's work. Only cases in ``visible`` (the user's
    ``cases_visible_to``) give a name, so a restricted case's people never reach a colleague
    who may not open it."""
    parties = (
        CaseParty.objects.filter(
            case_id__in=list(case_ids),
            case__in=visible,
            role__in=(PartyRole.COMPLAINANT, PartyRole.VICTIM),
            person__isnull=False,
        )
        .select_related("person")
        .only("case_id", "role", "person__full_name")
        .order_by("case_id", "pk")
    )
    complainants: dict[int, str] = {}
    victims: dict[int, str] = {}
    for party in parties:
        found = complainants if party.role == PartyRole.COMPLAINANT else victims
        found.setdefault(party.case_id, party.person.full_name)
    return victims | complainants
