"""Who holds which role in an organisation: organisation admins add, change and remove members.

Every role given or taken away is a ``Membership`` history row naming who did it and why; the
Housing Panel's "counts as a manager" mark (W05) is ``transfers.PanelMember``, which keeps its
own history. Guard rails, each raised as a ``ValidationError`` keyed by the form field it
belongs beside: an organisation keeps at least one organisation admin; nobody deactivates
themselves; someone with open cases keeps the housing officer role until the cases are
reassigned. Roles are only ever changed in the organisation passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from cases.models import Case
from cases.models.choices import OPEN_STATUSES
from transfers.models import PanelMember

from ..models import Area, JobTitle, Membership, Organisation, Role, User
from .invitations import invitation_queue

# The roles that may have cases assigned (``cases.forms.intake.officer_choices``).
CASE_HOLDING_ROLES = frozenset({Role.OFFICER, Role.MANAGER})


@dataclass(frozen=True)
class MemberAdded:
    user: User
    created: bool  # a new Haven account, rather than roles added to an existing one
    reactivated: bool  # an existing account that had been deactivated everywhere
    invited: bool  # an e-mail to set a password is on its way


@dataclass(frozen=True)
class MemberChanged:
    roles_added: tuple[str, ...]
    roles_removed: tuple[str, ...]
    areas_changed: bool
    panel_mark_changed: bool
    job_title_changed: bool

    @property
    def anything(self) -> bool:
        return bool(
            self.roles_added
            or self.roles_removed
            or self.areas_changed
            or self.panel_mark_changed
            or self.job_title_changed
        )


@dataclass(frozen=True)
class MemberDeactivated:
    roles_removed: tuple[str, ...]
    account_closed: bool  # no role left anywhere: the account can no longer sign in


def open_cases_assigned(*, organisation: Organisation, user: User) -> int:
    return Case.objects.filter(
        organisation=organisation, assigned_officer=user, status__in=OPEN_STATUSES
    ).count()


def member_add(
    *,
    organisation: Organisation,
    by: User,
    email: str,
    full_name: str,
    roles: Iterable[str],
    job_title: str = "",
    areas: Iterable[Area] = (),
    reason: str = "",
) -> MemberAdded:
    """Give someone roles here. An e-mail address Haven already knows (say, someone in a
    partner organisation) gets the roles on that account, whose name stays as its owner has
    it; otherwise a new account without a usable password is made and, after commit,
    e-mailed a link to set one. The job title is this organisation's own.

    The admin learns nothing about an existing account: the caller is told the same either
    way. A deactivated account becomes active again only if this organisation was the one
    that deactivated it; one deactivated by another organisation or a platform
    administrator gets the roles but still cannot sign in."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": "Enter an e-mail address, like name@example.org."}
        ) from None
    wanted = _roles_checked(roles)
    chosen_areas = _areas_checked(organisation=organisation, roles=wanted, areas=areas)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        created = user is None
        if user is None:
            if not full_name.strip():
                raise ValidationError({"full_name": "Enter their full name."})
            user = User(email=email, full_name=full_name.strip())
            user.set_unusable_password()
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:
                raise ValidationError(
                    {"email": "An account with this address was made a moment ago: try again."}
                ) from None
        elif Membership.objects.filter(user=user, organisation=organisation).exists():
            raise ValidationError(
                {
                    "email": f"{user.full_name} is already a member of {organisation.name}: "
                    "change their roles on their page."
                }
            )
        reactivated = (
            not created
            and not user.is_active
            and user.deactivated_by_organisation_id == organisation.pk
        )
        if reactivated:
            user.is_active = True
            user.deactivated_by_organisation = None
            user.save(update_fields=["is_active", "deactivated_by_organisation"])
        _job_title_set(organisation=organisation, user=user, title=job_title)
        why = reason.strip() or ("New Haven account" if created else "Existing Haven account")
        for role in _in_role_order(wanted):
            _role_give(
                organisation=organisation,
                user=user,
                by=by,
                role=role,
                areas=chosen_areas if role == Role.OFFICER else [],
                why=why,
            )
        invited = not user.has_usable_password()
        if invited:
            invitation_queue(user_pk=user.pk, organisation_pk=organisation.pk)
    return MemberAdded(user=user, created=created, reactivated=reactivated, invited=invited)


def member_update(
    *,
    organisation: Organisation,
    user: User,
    by: User,
    roles: Iterable[str],
    areas: Iterable[Area] = (),
    job_title: str,
    counts_as_manager: bool = False,
    reason: str = "",
) -> MemberChanged:
    """Set a member's roles, areas (housing officers), job title and, for panel members,
    whether they count as a manager for the Housing Panel's quorum (W05).

    A reason is required when roles, areas or the panel mark change: it is kept with them.
    """
    wanted = _roles_checked(roles, removal_hint=True)
    # The areas belong to the officer role: when it goes, they go with it.
    areas = areas if Role.OFFICER in wanted else ()
    chosen_areas = set(_areas_checked(organisation=organisation, roles=wanted, areas=areas))
    if counts_as_manager and Role.PANEL not in wanted:
        raise ValidationError(
            {
                "counts_as_manager": "Only Housing panel members count towards the panel's "
                "quorum: tick Housing panel member too, or untick this."
            }
        )
    with transaction.atomic():
        held = _memberships_locked(organisation=organisation, user=user)
        adding = wanted - held.keys()
        removing = set(held) - wanted
        _check_losing(
            organisation=organisation,
            user=user,
            losing=removing,
            keeping=wanted,
            field="roles",
        )
        officer = held.get(Role.OFFICER)
        areas_before = set(officer.areas.all()) if officer else set()
        areas_changed = (
            officer is not None and Role.OFFICER in wanted and chosen_areas != areas_before
        )
        mark = (
            PanelMember.objects.select_for_update()
            .filter(organisation=organisation, user=user)
            .first()
        )
        mark_before = bool(mark and mark.is_manager)
        mark_changed = mark_before != counts_as_manager
        if (adding or removing or areas_changed or mark_changed) and not reason.strip():
            raise ValidationError({"reason": "Say why: the reason is kept in their history."})
        why = reason.strip()
        for role in _in_role_order(removing):
            _role_take(membership=held[role], by=by, why=why)
        for role in _in_role_order(adding):
            _role_give(
                organisation=organisation,
                user=user,
                by=by,
                role=role,
                areas=chosen_areas if role == Role.OFFICER else [],
                why=why,
            )
        if areas_changed and officer is not None:
            officer.areas.set(chosen_areas)
            officer._history_user = by  # type: ignore[attr-defined]
            officer._change_reason = f"{_areas_note(chosen_areas)} {why}"  # type: ignore[attr-defined]
            officer.save()
        if mark_changed or (mark is not None and Role.PANEL not in wanted):
            _panel_mark_set(
                organisation=organisation,
                user=user,
                mark=mark,
                is_manager=counts_as_manager,
                by=by,
                why=why,
            )
        job_title_changed = _job_title_set(organisation=organisation, user=user, title=job_title)
    return MemberChanged(
        roles_added=_in_role_order(adding),
        roles_removed=_in_role_order(removing),
        areas_changed=areas_changed,
        panel_mark_changed=mark_changed,
        job_title_changed=job_title_changed,
    )


def member_deactivate(
    *, organisation: Organisation, user: User, by: User, reason: str
) -> MemberDeactivated:
    """Take away every role the member holds here (and their panel mark). Someone left with
    no role in any organisation can no longer sign in (``is_active`` off); someone who still
    works for a partner keeps their account there."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why they are leaving: it is kept in their history."})
    if user.pk == by.pk:
        raise ValidationError(
            {NON_FIELD_ERRORS: "You cannot deactivate yourself: ask another organisation admin."}
        )
    with transaction.atomic():
        held = _memberships_locked(organisation=organisation, user=user)
        _check_losing(
            organisation=organisation,
            user=user,
            losing=set(held),
            keeping=set(),
            field=NON_FIELD_ERRORS,
        )
        why = f"Deactivated: {reason.strip()}"
        for role in _in_role_order(held):
            _role_take(membership=held[role], by=by, why=why)
        mark = PanelMember.objects.filter(organisation=organisation, user=user).first()
        if mark is not None:
            _panel_mark_set(
                organisation=organisation, user=user, mark=mark, is_manager=False, by=by, why=why
            )
        account_closed = not Membership.objects.filter(user=user).exists()
        if account_closed:
            user.is_active = False
            user.deactivated_by_organisation = organisation
            user.save(update_fields=["is_active", "deactivated_by_organisation"])
    return MemberDeactivated(roles_removed=_in_role_order(held), account_closed=account_closed)


# --- Checks ----------------------------------------------------------------------------


def _roles_checked(roles: Iterable[str], *, removal_hint: bool = False) -> set[str]:
    wanted = set(roles)
    if not wanted:
        message = "Choose at least one role."
        if removal_hint:
            message += " To remove every role, use Deactivate below."
        raise ValidationError({"roles": message})
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationError({"roles": "Choose roles from the list."})
    return wanted


def _areas_checked(*, organisation: Organisation, roles: set[str], areas: Iterable[Area]):
    chosen = list(areas)
    if any(area.organisation_id != organisation.pk for area in chosen):
        raise ValidationError({"areas": "Choose areas of this organisation."})
    if chosen and Role.OFFICER not in roles:
        raise ValidationError(
            {"areas": "Areas are for housing officers: tick Housing officer, or clear the areas."}
        )
    return chosen


def _memberships_locked(*, organisation: Organisation, user: User) -> dict[str, Membership]:
    held = {
        m.role: m
        for m in Membership.objects.select_for_update()
        .filter(organisation=organisation, user=user)
        .order_by("role")
    }
    if not held:
        raise ValidationError(f"{user.full_name} holds no role in {organisation.name}.")
    return held


def _check_losing(
    *, organisation: Organisation, user: User, losing: set[str], keeping: set[str], field: str
) -> None:
    """The guard rails for roles taken away, raised beside ``field``."""
    if Role.ORG_ADMIN in losing:
        # Lock every admin row here: two admins removing each other at once wait in turn,
        # and the second sees the first's removal.
        admins = set(
            Membership.objects.select_for_update(of=("self",))
            .filter(organisation=organisation, role=Role.ORG_ADMIN, user__is_active=True)
            .values_list("user_id", flat=True)
        )
        if not admins - {user.pk}:
            raise ValidationError(
                {
                    field: f"{organisation.name} must keep at least one organisation admin: "
                    "make someone else an admin first."
                }
            )
    loses_cases = Role.OFFICER in losing or (
        bool(CASE_HOLDING_ROLES & losing) and not CASE_HOLDING_ROLES & keeping
    )
    if loses_cases:
        count = open_cases_assigned(organisation=organisation, user=user)
        if count:
            cases = "1 open case" if count == 1 else f"{count} open cases"
            raise ValidationError(
                {
                    field: ValidationError(
                        f"{user.full_name} has {cases} assigned: reassign them before "
                        "removing the housing officer role.",
                        code="open_cases",
                    )
                }
            )


# --- Writes ----------------------------------------------------------------------------


def _role_give(
    *, organisation: Organisation, user: User, by: User, role: str, areas, why: str
) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    membership._history_user = by  # type: ignore[attr-defined]
    note = _areas_note(areas) if role == Role.OFFICER else ""
    membership._change_reason = f"{note} {why}".strip()  # type: ignore[attr-defined]
    membership.save()
    if areas:
        membership.areas.set(areas)
    return membership


def _job_title_set(*, organisation: Organisation, user: User, title: str) -> bool:
    """The member's job title here, and only here. True if it changed."""
    title = (title or "").strip()
    current = JobTitle.objects.filter(organisation=organisation, user=user).first()
    if title == (current.title if current else ""):
        return False
    if not title:
        current.delete()  # type: ignore[union-attr]
    elif current is None:
        JobTitle.objects.create(organisation=organisation, user=user, title=title)
    else:
        current.title = title
        current.save(update_fields=["title"])
    return True


def _role_take(*, membership: Membership, by: User, why: str) -> None:
    membership._history_user = by  # type: ignore[attr-defined]
    membership._change_reason = why  # type: ignore[attr-defined]
    membership.delete()


def _panel_mark_set(
    *,
    organisation: Organisation,
    user: User,
    mark: PanelMember | None,
    is_manager: bool,
    by: User,
    why: str,
) -> None:
    """W05: the mark is a row only while it is on; taking it off deletes the row. Its
    history keeps the reason whole."""
    if is_manager:
        mark = mark or PanelMember(organisation=organisation, user=user)
        mark.is_manager = True
        mark._history_user = by  # type: ignore[attr-defined]
        mark._change_reason = why  # type: ignore[attr-defined]
        mark.save()
    elif mark is not None:
        mark._history_user = by  # type: ignore[attr-defined]
        mark._change_reason = why  # type: ignore[attr-defined]
        mark.delete()


def _areas_note(areas) -> str:
    names = sorted(area.name for area in areas)
    return f"Areas: {', '.join(names)}." if names else "Areas: none."


def _in_role_order(roles: Iterable[str]) -> tuple[str, ...]:
    chosen = set(roles)
    return tuple(role for role in Role.values if role in chosen)
