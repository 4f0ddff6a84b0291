"""Every letters view tried by the whole cast; the template editor; downloads logged."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAccess
from letters import tasks
from letters.models import Delivery, LetterKind, LetterStatus, LetterTemplate
from letters.services.issue import letter_issue

pytestmark = pytest.mark.django_db

ROLES = ("staff", "officer", "manager", "panel", "admin", "outsider")


def rendered_letter(letter_case, cast, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return letter_issue(
            case=letter_case.case,
            kind=kwargs.get("kind", LetterKind.ACKNOWLEDGEMENT),
            recipient=kwargs.get("recipient", letter_case.victim),
            by=cast.officer,
            reason="",
            extra={"next_contact_date": "Monday"},
            delivery=Delivery.POST,
        )


# Expected status per role: staff may open only cases they logged (the cast's staff logged
# this one), panel members open no cases, the outsider's organisation has no such case.
CASE_PAGES = {
    "letters:issue": {
        "staff": 403,
        "officer": 200,
        "manager": 200,
        "panel": 403,
        "admin": 403,
        "outsider": 404,
    },
    "letters:concern_raise": {
        "staff": 403,
        "officer": 200,
        "manager": 200,
        "panel": 403,
        "admin": 403,
        "outsider": 404,
    },
    "letters:close": {
        "staff": 403,
        "officer": 200,
        "manager": 200,
        "panel": 403,
        "admin": 403,
        "outsider": 404,
    },
    "letters:follow_up": {
        "staff": 403,
        "officer": 200,
        "manager": 200,
        "panel": 403,
        "admin": 403,
        "outsider": 404,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(CASE_PAGES))
def test_permission_matrix_for_case_workflow_pages(client, cast, letter_case, name, role):
    client.force_login(cast.by_role()[role])
    response = client.get(reverse(name, args=[letter_case.case.pk]))
    assert response.status_code == CASE_PAGES[name][role]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("staff", 200),
        ("officer", 200),
        ("manager", 200),
        ("panel", 403),
        ("admin", 200),
        ("outsider", 404),
    ],
)
def test_permission_matrix_for_letter_download_which_is_logged(
    client, cast, letter_case, django_capture_on_commit_callbacks, role, expected
):
    letter = rendered_letter(letter_case, cast, django_capture_on_commit_callbacks)
    client.force_login(cast.by_role()[role])
    url = reverse("letters:download", args=[letter_case.case.pk, letter.pk])
    response = client.get(url)
    assert response.status_code == expected
    logged = CaseAccess.objects.filter(
        case=letter_case.case,
        user=cast.by_role()[role],
        action=CaseAccess.Action.DOWNLOADED_LETTER,
        object_id=letter.pk,
    )
    assert logged.exists() == (expected == 200)
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_officer_not_on_a_restricted_case_cannot_download_its_letters(
    client, cast, letter_case, django_capture_on_commit_callbacks
):
    from accounts.models import Role
    from tests.factories import member

    letter = rendered_letter(letter_case, cast, django_capture_on_commit_callbacks)
    letter_case.case.restricted = True
    letter_case.case.save()
    url = reverse("letters:download", args=[letter_case.case.pk, letter.pk])
    client.force_login(member(cast.organisation, Role.OFFICER))
    assert client.get(url).status_code == 404
    client.force_login(cast.officer)  # assigned to it
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "role,expected",
    [
        ("staff", 403),
        ("officer", 302),
        ("manager", 302),
        ("panel", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_permission_matrix_for_marking_posted(
    client, cast, letter_case, django_capture_on_commit_callbacks, role, expected
):
    letter = rendered_letter(letter_case, cast, django_capture_on_commit_callbacks)
    client.force_login(cast.by_role()[role])
    response = client.post(reverse("letters:posted", args=[letter_case.case.pk, letter.pk]))
    assert response.status_code == expected
    letter.refresh_from_db()
    assert (letter.status == LetterStatus.SENT) == (expected == 302)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 403),
        ("panel", 403),
        ("admin", 200),
        ("outsider", 200),
    ],
)
def test_permission_matrix_for_the_template_editor(client, cast, role, expected):
    # The outsider is an admin of their own organisation: they see their own templates only.
    client.force_login(cast.by_role()[role])
    assert client.get(reverse("letters:templates")).status_code == expected
    assert client.get(reverse("letters:template_edit", args=["closure"])).status_code == expected


def test_admin_saves_a_new_version_and_old_letters_keep_theirs(
    client, cast, letter_case, django_capture_on_commit_callbacks
):
    letter = rendered_letter(letter_case, cast, django_capture_on_commit_callbacks)
    old_version = letter.template.version
    client.force_login(cast.admin)
    url = reverse("letters:template_edit", args=[LetterKind.ACKNOWLEDGEMENT])
    response = client.post(
        url,
        {
            "subject": "We have your report {{ case_reference }}",
            "body": "Dear {{ recipient_name }},\n\nThank you.",
            "change_note": "Shorter",
            "action": "save",
        },
    )
    assert response.status_code == 302
    current = LetterTemplate.objects.filter(
        organisation=cast.organisation, kind=LetterKind.ACKNOWLEDGEMENT
    ).first()
    assert current.version == old_version + 1 and current.created_by == cast.admin
    letter.refresh_from_db()
    assert letter.template.version == old_version
    # The other organisation's templates are untouched.
    assert not LetterTemplate.objects.filter(
        organisation=cast.other_organisation, version__gt=1
    ).exists()


def test_template_errors_show_beside_the_field_with_the_input_kept(client, cast):
    client.force_login(cast.admin)
    url = reverse("letters:template_edit", args=[LetterKind.CLOSURE])
    body = "Dear {{ recipient_name }} {% load static %} {{ secret_key }}"
    response = client.post(url, {"subject": "S", "body": body, "action": "save"})
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    assert any("Unknown merge field" in e for e in errors)
    assert any("Only merge fields" in e for e in errors)
    assert "{% load static %}" in response.content.decode()


def test_template_preview_renders_sample_values_escaped(client, cast):
    client.force_login(cast.admin)
    url = reverse("letters:template_edit", args=[LetterKind.CLOSURE])
    response = client.post(
        url, {"subject": "S", "body": "<b>Hi</b> {{ recipient_name }}", "action": "preview"}
    )
    body = response.content.decode()
    assert "&lt;b&gt;Hi&lt;/b&gt; Ms Jane Example" in body
    pdf = client.post(url, {"subject": "S", "body": "Hello", "action": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_closing_through_the_page_with_bad_input_keeps_it_and_says_why(client, cast, letter_case):
    client.force_login(cast.officer)
    url = reverse("letters:close", args=[letter_case.case.pk])
    response = client.post(
        url,
        {"reason": "resolved", "rationale": "Done and dusted", "version": letter_case.case.version},
    )
    assert response.status_code == 200
    assert "discussed_with_complainant" in response.context["form"].errors
    assert "Done and dusted" in response.content.decode()


@pytest.mark.parametrize("letters", [1, 15])
def test_case_page_query_count_does_not_grow_with_letters(
    client, cast, letter_case, django_capture_on_commit_callbacks, letters
):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        for _ in range(letters):
            letter_issue(
                case=letter_case.case,
                kind=LetterKind.ACKNOWLEDGEMENT,
                recipient=letter_case.victim,
                by=cast.officer,
                reason="",
                extra={"next_contact_date": "Monday"},
            )
    client.force_login(cast.officer)
    page = reverse("cases:detail", args=[letter_case.case.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="letter"') == letters
    # session, user, memberships; the case; which parts of the case have rows (one query); parties;
    # incidents (none, so nothing about them); the deadlines panel; letters with recipients and
    # templates; the CaseAccess insert (the session, written by the first request under a minute
    # ago, is not written again). Contacts, notes, evidence, reviews, concerns, closures, transfers
    # and the case-work panels have no rows here, so no query. The same for one letter or fifteen.
    # 11: the policy settings, read once for the "what needs doing next" wording of live deadlines.
    assert len(queries) == 11, "\n".join(q["sql"][:90] for q in queries)


def test_feedback_page_needs_no_sign_in_and_refuses_unknown_tokens(client):
    assert client.get(reverse("feedback", args=["x" * 43])).status_code == 404
    assert timezone.now()


def test_a_person_who_was_sent_a_letter_keeps_their_role(
    cast, letter_case, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from cases.services.parties import party_remove

    rendered_letter(letter_case, cast, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Letters were sent"):
        party_remove(party=letter_case.victim, by=cast.officer)


def test_no_store_on_a_letter_pdf_download(
    client, cast, letter_case, django_capture_on_commit_callbacks
):
    letter = rendered_letter(letter_case, cast, django_capture_on_commit_callbacks)
    client.force_login(cast.officer)
    response = client.get(reverse("letters:download", args=[letter_case.case.pk, letter.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
