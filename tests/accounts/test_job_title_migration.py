"""accounts 0005: each account's one job title becomes its title in every organisation it
works for, and an account closed by losing its last role remembers which organisation did
it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import JobTitle, User
from accounts.services.members import member_deactivate
from tests.factories import MembershipFactory, member

BEFORE = [("accounts", "0004_membership_history")]
AFTER = [("accounts", "0005_job_title_per_organisation")]


@pytest.mark.django_db(transaction=True)
def test_job_titles_are_copied_to_every_organisation_and_deactivations_remembered(cast):
    from accounts.models import Role

    shared = member(cast.organisation, Role.OFFICER, full_name="Sam Shared")
    MembershipFactory(user=shared, organisation=cast.other_organisation, role=Role.STAFF)
    gone = member(cast.other_organisation, Role.STAFF, full_name="Gone Away")
    member_deactivate(
        organisation=cast.other_organisation, user=gone, by=cast.outsider, reason="Left"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    OldUser = old.get_model("accounts", "User")
    OldUser.objects.filter(pk=shared.pk).update(job_title="Tenancy officer")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # Later migrations were unapplied on the way back: apply them again for the next tests.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    titles = {(t.organisation_id, t.title) for t in JobTitle.objects.filter(user_id=shared.pk)}
    assert titles == {
        (cast.organisation.pk, "Tenancy officer"),
        (cast.other_organisation.pk, "Tenancy officer"),
    }
    assert not JobTitle.objects.filter(user_id=cast.officer.pk).exists()
    assert User.objects.get(pk=gone.pk).deactivated_by_organisation_id == cast.other_organisation.pk
