"""The policy designer's pages: who may use them, what they show and what they write."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policy.models import PolicyVersion, Rule
from policy.schema import document_dump, document_of
from policy.selectors import draft_of, version_in_force
from policy.services import policy_draft_start, policy_preset_adopt, rule_save
from tests.policy.conftest import rule_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast):
    return policy_preset_adopt(organisation=cast.organisation, preset="wch_2022", by=cast.admin)


@pytest.fixture
def draft(cast, published):
    return policy_draft_start(organisation=cast.organisation, by=cast.admin)


@pytest.fixture
def theirs(cast):
    """The other organisation's policy: its draft, a rule of it and its published version."""
    version = policy_preset_adopt(
        organisation=cast.other_organisation, preset="circle_anglia_2009", by=cast.outsider
    )
    their_draft = policy_draft_start(organisation=cast.other_organisation, by=cast.outsider)
    return version, their_draft, their_draft.rules.first()


# Who may do what -------------------------------------------------------------------------

READ_PAGES = ["policy:overview", "policy:draft", "policy:try"]
WRITE_PAGES = ["policy:rule_new", "policy:import"]


@pytest.mark.parametrize("url_name", READ_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 200),
        ("panel", 403),
        ("admin", 200),
        ("outsider", 200),
    ],
)
def test_designer_read_pages_by_role(client, cast, draft, url_name, role, status):
    client.force_login(cast.by_role()[role])
    response = client.get(reverse(url_name))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        # The outsider administers their own organisation and sees none of ours.
        ours = f'value="{draft.pk}"' if url_name == "policy:try" else "Contact the complainant"
        assert (ours in body) == (role != "outsider")
        # Only organisation admins are offered changes.
        on_our_draft = role == "admin" and url_name == "policy:draft"
        assert ('action="/policy/draft/publish/"' in body) == on_our_draft
        assert ('href="/policy/draft/rules/new/"' in body) == on_our_draft
        assert ("/delete/" in body) == on_our_draft


@pytest.mark.parametrize("url_name", WRITE_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 403),
        ("panel", 403),
        ("admin", 200),
    ],
)
def test_designer_write_pages_only_for_organisation_admins(
    client, cast, draft, url_name, role, status
):
    client.force_login(cast.by_role()[role])
    assert client.get(reverse(url_name)).status_code == status


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("policy:draft_start", {}),
        ("policy:draft_from_preset", {"preset": "circle_anglia_2009", "replace": "on"}),
        ("policy:draft_publish", {}),
        ("policy:draft_discard", {}),
        ("policy:draft_retitle", {"title": "Ours"}),
        ("policy:import", {"text": "schema: 1\ntitle: X\nrules: []\n"}),
    ],
)
@pytest.mark.parametrize("role", ["staff", "officer", "manager", "panel"])
def test_designer_writes_refused_to_all_but_organisation_admins(
    client, cast, draft, url_name, data, role
):
    client.force_login(cast.by_role()[role])
    before = list(PolicyVersion.objects.values_list("pk", "status", "number"))
    assert client.post(reverse(url_name), data).status_code == 403
    assert list(PolicyVersion.objects.values_list("pk", "status", "number")) == before


@pytest.mark.parametrize("role", ["staff", "officer", "manager", "panel"])
def test_rule_pages_refused_to_all_but_organisation_admins(client, cast, draft, role):
    client.force_login(cast.by_role()[role])
    rule = draft.rules.first()
    assert client.get(reverse("policy:rule_edit", args=[rule.pk])).status_code == 403
    assert client.post(reverse("policy:rule_delete", args=[rule.pk])).status_code == 403
    assert Rule.objects.filter(pk=rule.pk).exists()


def test_another_organisations_versions_and_rules_are_404(client, cast, draft, theirs):
    their_version, their_draft, their_rule = theirs
    client.force_login(cast.admin)
    assert client.get(reverse("policy:export", args=[their_version.pk])).status_code == 404
    assert client.get(reverse("policy:export", args=[their_draft.pk])).status_code == 404
    assert client.get(reverse("policy:rule_edit", args=[their_rule.pk])).status_code == 404
    assert client.post(reverse("policy:rule_edit", args=[their_rule.pk]), {}).status_code == 404
    assert client.post(reverse("policy:rule_delete", args=[their_rule.pk])).status_code == 404
    assert Rule.objects.filter(pk=their_rule.pk).exists()
    # Their version is not offered on the try page either.
    response = client.get(reverse("policy:try"), {"version": their_draft.pk})
    assert f'value="{their_draft.pk}"' not in response.content.decode()


def test_a_published_versions_rules_are_not_edited(client, cast, published):
    client.force_login(cast.admin)
    rule = published.rules.first()
    assert client.get(reverse("policy:rule_edit", args=[rule.pk])).status_code == 404
    assert client.post(reverse("policy:rule_delete", args=[rule.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["policy:draft_start", "policy:draft_discard", "policy:draft_publish", "policy:draft_retitle"],
)
def test_designer_writes_are_post_only(client, cast, draft, url_name):
    client.force_login(cast.admin)
    assert client.get(reverse(url_name)).status_code == 405
    assert draft_of(cast.organisation.pk) == draft


def test_designer_writes_need_the_csrf_token(cast, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    assert client.post(reverse("policy:draft_discard")).status_code == 403
    rule = draft.rules.first()
    assert client.post(reverse("policy:rule_delete", args=[rule.pk])).status_code == 403
    assert draft_of(cast.organisation.pk) == draft
    assert Rule.objects.filter(pk=rule.pk).exists()


def test_nav_offers_policy_to_admins_and_managers(client, cast):
    for role, sees in (("admin", True), ("manager", True), ("officer", False), ("staff", False)):
        client.force_login(cast.by_role()[role])
        labels = [i["label"] for i in client.get(reverse("home")).context["nav_items"]]
        assert ("Policy" in labels) == sees
        assert ("Working hours and switches" in labels) == (role == "admin")


# Overview --------------------------------------------------------------------------------


def test_overview_shows_the_version_in_force_its_rules_and_who_published(client, cast, published):
    client.force_login(cast.manager)
    body = client.get(reverse("policy:overview")).content.decode()
    assert "WCH 2022 (version 1)" in body
    assert "Adam Admin" in body
    assert "Contact the complainant" in body and "(W08 (000 §6.2))" in body
    assert "Within 24 hours" in body
    # Read-only for a manager.
    assert "Start a draft" not in body and "Import a file" not in body


def test_overview_lists_a_scheduled_version_the_draft_and_earlier_versions(client, cast, published):
    later = policy_draft_start(organisation=cast.organisation, by=cast.admin)
    from policy.services import policy_publish

    policy_publish(version=later, by=cast.admin, effective_from=timezone.now() + timedelta(days=3))
    policy_draft_start(organisation=cast.organisation, by=cast.admin)
    client.force_login(cast.admin)
    response = client.get(reverse("policy:overview"))
    body = response.content.decode()
    assert response.context["in_force"] == published
    assert [v.number for v in response.context["scheduled"]] == [2]
    assert response.context["draft"].number == 3
    assert 'data-version="scheduled"' in body and 'data-version="draft"' in body


def test_start_a_draft_copies_the_version_in_force(client, cast, published):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:draft_start"))
    assert response.status_code == 302
    draft = draft_of(cast.organisation.pk)
    assert draft.origin == "Copy of version 1"
    assert document_of(draft)["rules"] == document_of(published)["rules"]


def test_start_from_a_preset_replaces_the_draft_only_when_confirmed(client, cast, draft):
    client.force_login(cast.admin)
    client.post(reverse("policy:draft_from_preset"), {"preset": "circle_anglia_2009"})
    assert draft_of(cast.organisation.pk) == draft
    client.post(
        reverse("policy:draft_from_preset"), {"preset": "circle_anglia_2009", "replace": "on"}
    )
    replaced = draft_of(cast.organisation.pk)
    assert replaced != draft and replaced.title == "Circle Anglia 2009"


def test_changes_list_who_changed_what(client, cast, draft):
    rule = draft.rules.get(code="w08_first_contact")
    rule_save(
        version=draft,
        by=cast.admin,
        data={**document_of(draft)["rules"][0], "title": "Call the complainant"},
        rule=rule,
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        rule_save(version=draft, by=cast.manager, data=rule_data("new_one", "days", 2))
    client.force_login(cast.admin)
    changes = client.get(reverse("policy:overview")).context["changes"]
    words = [(c.by, c.words) for c in changes]
    assert words[:2] == [
        (cast.manager, "Rule “New one” (new_one) added to draft version 2"),
        (cast.admin, "Rule “Call the complainant” (w08_first_contact) changed in draft version 2"),
    ]
    assert (cast.admin, "Draft version 2 started (Copy of version 1)") in words
    # The draft's rules, copied with it, are told as one change.
    assert [w for _, w in words if "added to" in w] == [words[0][1]]


# Export and import ---------------------------------------------------------------------------


def test_export_downloads_the_versions_file(client, cast, published):
    client.force_login(cast.manager)
    response = client.get(reverse("policy:export", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="policy-wch-v1.yaml"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode() == document_dump(document_of(published))


def test_export_then_import_gives_an_identical_policy(client, cast, draft):
    rule_save(
        version=draft,
        by=cast.admin,
        data=rule_data(
            "first_contact_conditions",
            None,
            clause="4.2",
            timescales=[
                {
                    "unit": "working_days",
                    "amount": 1,
                    "conditions": {"violence": True, "categories": ["hate_crime"]},
                    "note": "violence",
                },
                {
                    "unit": "working_hours",
                    "amount": 24,
                    "conditions": {"started_on": [4]},
                    "note": "",
                },
                {"unit": "coming_friday", "amount": None, "conditions": {}, "note": ""},
            ],
            met_by=[{"action": "contact", "roles": ["perpetrator"], "in_person": True}],
            remind_hours_before=4,
            tell_manager_when_overdue=False,
            adopted_from="Another landlord",
        ),
    )
    client.force_login(cast.admin)
    exported = client.get(reverse("policy:export", args=[draft.pk])).content.decode()
    before = document_of(draft)
    response = client.post(reverse("policy:import"), {"text": exported})
    assert response.status_code == 302
    imported = draft_of(cast.organisation.pk)
    assert imported.pk != draft.pk
    assert document_of(imported) == before


def test_import_accepts_an_uploaded_file(client, cast, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.admin)
    text = document_dump(document_of(published))
    upload = SimpleUploadedFile("ours.yaml", text.encode(), content_type="application/yaml")
    assert client.post(reverse("policy:import"), {"file": upload}).status_code == 302
    assert document_of(draft_of(cast.organisation.pk))["rules"] == document_of(published)["rules"]


GOOD = """schema: 1
title: Ours
rules:
- code: first_contact
  title: Contact the complainant
  promise: We will call you.
  subject: contact_complainant
  starts_on: report_received
  timescales:
  - unit: working_days
    amount: 1
  met_by:
  - action: contact
"""


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("unit: working_days", "unit: fortnights"), 10, "'unit' must be one of"),
        (GOOD.replace("    amount: 1\n", ""), 10, "needs an 'amount'"),
        (GOOD.replace("starts_on: report_received", "starts_on: [report"), 9, "expected ','"),
        (GOOD.replace("  met_by:\n  - action: contact\n", ""), 4, "Say what meets this rule"),
        (GOOD.replace("  - action: contact", "  - action: contact\n    colour: red"), 14, "colour"),
        (GOOD + "  then_starts: nothing\n", 4, "'then_starts' names no rule"),
        (GOOD.replace("schema: 1", "schema: 2"), 1, "schema 1"),
    ],
)
def test_an_invalid_file_is_refused_naming_the_line_and_the_text_is_kept(
    client, cast, draft, text, line, words
):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:import"), {"text": text})
    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert errors[0].startswith(f"Line {line}: ")
    assert words in errors[0]
    assert response.context["form"]["text"].value() == text
    body = response.content.decode()
    assert 'id="id_text_error"' in body and 'aria-describedby="id_text_error"' in body
    assert draft_of(cast.organisation.pk) == draft


def test_an_invalid_uploaded_file_is_refused_and_its_text_kept_in_the_box(client, cast, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.admin)
    text = GOOD.replace("amount: 1", "amount: none")
    upload = SimpleUploadedFile("ours.yml", text.encode())
    response = client.post(reverse("policy:import"), {"file": upload})
    assert response.context["form"].errors["text"][0].startswith("Line 11: ")
    assert response.context["form"]["text"].value() == text


def test_import_refuses_other_kinds_of_file(client, cast, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.admin)
    response = client.post(
        reverse("policy:import"), {"file": SimpleUploadedFile("policy.docx", b"PK\x03\x04")}
    )
    assert response.context["form"].errors["file"] == ["Choose a .yaml or .yml file."]
    response = client.post(reverse("policy:import"), {"text": "  "})
    assert response.context["form"].errors["text"] == ["Choose a file or paste the policy's text."]


# Publishing ------------------------------------------------------------------------------


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_publish_now_puts_the_draft_in_force(client, cast, draft):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:draft_publish"), {"effective_from": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == cast.admin
    assert version_in_force(cast.organisation.pk) == draft


def test_publish_clicked_twice_publishes_once_and_says_so(client, cast, draft):
    client.force_login(cast.admin)
    first = client.post(reverse("policy:draft_publish"), {"effective_from": ""})
    versions = list(cast.organisation.policy_versions.values_list("pk", "status"))
    second = client.post(reverse("policy:draft_publish"), {"effective_from": ""}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "it has been published already" in second.content.decode()
    assert list(cast.organisation.policy_versions.values_list("pk", "status")) == versions
    draft.refresh_from_db()
    assert draft.status == "published"


def test_publish_at_a_later_time_schedules_it(client, cast, draft, published):
    client.force_login(cast.admin)
    later = timezone.now() + timedelta(days=2)
    client.post(reverse("policy:draft_publish"), {"effective_from": _local(later)})
    draft.refresh_from_db()
    assert _local(draft.effective_from) == _local(later)
    assert version_in_force(cast.organisation.pk) == published


def test_publish_refuses_a_time_in_the_past_beside_the_field(client, cast, draft):
    client.force_login(cast.admin)
    past = _local(timezone.now() - timedelta(hours=1))
    response = client.post(reverse("policy:draft_publish"), {"effective_from": past})
    assert response.status_code == 400
    form = response.context["publish_form"]
    assert form.errors["effective_from"] == ["A policy cannot take effect in the past."]
    assert form["effective_from"].value() == past
    assert 'aria-describedby="id_effective_from_help id_effective_from_error"' in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.is_draft


def test_publish_refuses_while_problems_block_it(client, cast, draft):
    welfare = draft.rules.get(code="w13_welfare_call")
    Rule.objects.filter(pk=welfare.pk).update(repeats=False, then_starts="nowhere")
    client.force_login(cast.admin)
    page = client.get(reverse("policy:draft")).content.decode()
    assert "w13_welfare_call: &#x27;then_starts&#x27; names no rule (nowhere)." in page
    response = client.post(reverse("policy:draft_publish"), {"effective_from": ""})
    assert response.status_code == 400
    assert "w13_welfare_call: 'then_starts' names no rule (nowhere)." in (
        response.context["publish_form"].non_field_errors()
    )
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_draft_takes_the_landlords_own_title(client, cast, draft):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:draft_retitle"), {"title": "  "})
    assert response.status_code == 400
    assert response.context["title_form"].errors["title"] == ["This field is required."]
    assert 'aria-describedby="id_title_error"' in response.content.decode()
    client.post(reverse("policy:draft_retitle"), {"title": "Tenancy Services ASB policy 2027"})
    draft.refresh_from_db()
    assert draft.title == "Tenancy Services ASB policy 2027"
    changes = client.get(reverse("policy:overview")).context["changes"]
    assert changes[0].words == "Draft version 2 titled “Tenancy Services ASB policy 2027”"


def test_discard_the_draft(client, cast, draft):
    client.force_login(cast.admin)
    assert client.post(reverse("policy:draft_discard")).status_code == 302
    assert draft_of(cast.organisation.pk) is None


# C14 warnings on the draft ----------------------------------------------------------------


def test_c14_draft_page_warns_beside_a_looser_rule_and_of_a_missing_one(client, cast, draft):
    rule = draft.rules.get(code="w08_first_contact")
    data = next(r for r in document_of(draft)["rules"] if r["code"] == "w08_first_contact")
    rule_save(
        version=draft,
        by=cast.admin,
        data={
            **data,
            "timescales": [{"unit": "working_days", "amount": 3, "conditions": {}, "note": ""}],
        },
        rule=rule,
    )
    draft.rules.get(code="w15_safeguarding_referral").delete()
    client.force_login(cast.admin)
    response = client.get(reverse("policy:draft"))
    body = response.content.decode()
    rows = {row["rule"].code: row["warning"] for row in response.context["rows"]}
    assert rows["w08_first_contact"].startswith(
        "within 3 working days, but the preset promises within 24 hours."
    )
    assert rows["w13_welfare_call"] is None
    assert "Looser than the preset: within 3 working days" in body
    assert response.context["missing"] == [
        "Safeguarding referral (W15 (000 §9.2)): the preset has this rule and this policy does not."
    ]


def test_c14_no_warning_on_a_draft_equal_to_the_preset(client, cast, draft):
    client.force_login(cast.admin)
    response = client.get(reverse("policy:draft"))
    assert all(row["warning"] is None for row in response.context["rows"])
    assert response.context["missing"] == []


# Query counts ----------------------------------------------------------------------------


def _count(client, url):
    client.get(url)  # warm the session and any per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_overview_query_count_is_fixed(client, cast, published, draft):
    """session, user, memberships (request.access); versions with who published them; the
    version in force; its rules; their timescales; version history; rule history (the
    session, written under a minute ago, is not written again)."""
    client.force_login(cast.admin)
    assert _count(client, reverse("policy:overview")) == 9
    for n in range(3):
        rule_save(version=draft, by=cast.admin, data=rule_data(f"more_{n}", "days", n + 1))
    assert _count(client, reverse("policy:overview")) == 9


def test_draft_page_query_count_is_fixed(client, cast, draft):
    """session, user, memberships (request.access); the draft; its rules; their timescales;
    the organisation's policy settings (preset and working hours); no session save
    (it was written under a minute ago)."""
    client.force_login(cast.admin)
    first = _count(client, reverse("policy:draft"))
    for n in range(3):
        rule_save(version=draft, by=cast.admin, data=rule_data(f"more_{n}", "days", n + 1))
    assert _count(client, reverse("policy:draft")) == first == 7
