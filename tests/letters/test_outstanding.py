"""The letters list: what has not gone yet and why, for the cases the user may open."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services.issue import letter_issue
from tests.cases.factories import make_case
from tests.factories import member

pytestmark = pytest.mark.django_db

FULL = "Waiting: the document store is full — will retry."
URL = reverse("letters:outstanding")


def issue(letter_case, cast) -> Letter:
    with mock.patch.object(tasks.letter_process, "apply_async"):
        return letter_issue(
            case=letter_case.case,
            kind=LetterKind.CLOSURE,
            recipient=letter_case.victim,
            by=cast.officer,
            reason="",
            extra={"closure_reason": "Resolved", "closure_rationale": "Quiet."},
            delivery=Delivery.EMAIL,
        )


def copies(letter: Letter, n: int, **fields) -> list[Letter]:
    made = []
    for _ in range(n):
        copy = Letter.objects.get(pk=letter.pk)
        copy.pk = None
        for name, value in fields.items():
            setattr(copy, name, value)
        made.append(copy)
    return Letter.objects.bulk_create(made)


def waiting(letter: Letter) -> None:
    Letter.objects.filter(pk=letter.pk).update(
        failure=FULL, retry_at=timezone.now() + timezone.timedelta(minutes=1)
    )


def test_an_officer_sees_which_letters_are_waiting_and_why(client, cast, letter_case):
    letter = issue(letter_case, cast)
    waiting(letter)
    (sent,) = copies(
        letter, 1, status=LetterStatus.SENT, pdf="letters/x.pdf", sent_at=timezone.now()
    )
    client.force_login(cast.officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"]] == [letter.pk]
    body = response.content.decode()
    assert FULL in body and "Waiting" in body and letter_case.case.reference in body
    assert "CANARY" not in body  # the recipient by role, never by name


@pytest.mark.parametrize(("who", "status"), [("manager", 200), ("panel", 403), ("staff", 403)])
def test_who_may_open_the_letters_list(client, cast, letter_case, who, status):
    issue(letter_case, cast)
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == status


def test_another_organisations_user_sees_none_of_its_letters(client, cast, letter_case):
    issue(letter_case, cast)
    client.force_login(cast.outsider)
    response = client.get(URL)
    assert response.status_code == 200 and list(response.context["page"]) == []
    assert letter_case.case.reference not in response.content.decode()


def test_a_colleague_not_on_a_restricted_case_does_not_see_its_letters(client, cast, letter_case):
    letter = issue(letter_case, cast)
    restricted = make_case(
        cast.organisation, cast.staff, assigned_officer=cast.officer, restricted=True
    )
    (hidden,) = copies(letter, 1, case=restricted)
    colleague = member(cast.organisation, Role.OFFICER)
    client.force_login(colleague)
    shown = [row.pk for row in client.get(URL).context["page"]]
    assert letter.pk in shown and hidden.pk not in shown
    client.force_login(cast.officer)
    assert hidden.pk in [row.pk for row in client.get(URL).context["page"]]


# session, user, memberships (access), count, the page of letters (+case; the visible cases
# are a subquery, no query of their own). The session is not written: signing in wrote it.
LIST_QUERIES = 5


@pytest.mark.parametrize("n_letters", [10, 200])
def test_the_letters_list_query_count_is_fixed(
    client, cast, letter_case, django_assert_num_queries, n_letters
):
    letter = issue(letter_case, cast)
    copies(letter, n_letters - 1)
    client.force_login(cast.officer)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL)
    assert len(response.context["page"]) == min(n_letters, 50)
