import pytest
from django.urls import reverse

from cases.models import Case
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db
URL = reverse("cases:bulk_reassign")


def test_bulk_reassign_keeps_a_history_row_per_case(client, cast):
    cases = [
        make_case(cast.organisation, cast.staff, assigned_officer=cast.officer) for _ in range(3)
    ]
    client.force_login(cast.manager)
    response = client.post(
        URL,
        {"cases": [c.pk for c in cases[:2]], "officer": cast.manager.pk, "reason": "Officer left"},
    )
    assert response.status_code == 302
    moved = Case.objects.filter(assigned_officer=cast.manager)
    assert set(moved) == set(cases[:2])
    for case in moved:
        latest = case.history.first()
        assert latest.history_user == cast.manager
        assert latest.history_change_reason == "Reassigned in bulk: Officer left"
        assert latest.version == 2
    body = client.get(reverse("cases:audit", args=[cases[0].pk])).content.decode()
    assert "Reassigned in bulk: Officer left" in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 302),
        ("panel", 403),
        ("admin", 302),
        # Our case and officer are not choices for them: the form comes back refused.
        ("outsider", 400),
    ],
)
def test_permission_matrix_bulk_reassign(client, cast, role, expected):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    user = cast.by_role()[role]
    client.force_login(user)
    response = client.post(URL, {"cases": [case.pk], "officer": cast.manager.pk, "reason": "x"})
    assert response.status_code == expected
    case.refresh_from_db()
    # The outsider's form cannot even name our case or our officer: nothing moves.
    assert case.assigned_officer == (cast.manager if role in ("manager", "admin") else cast.officer)
