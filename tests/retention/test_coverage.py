"""Every text column of every model that belongs to a case is either removed by the
anonymisation (retention.services.anonymise.CASE_PARTS) or kept with a reason (KEPT_TEXT):
a field added to a case's part later fails here until it is classified."""

from django.apps import apps
from django.db import models

from retention.services.anonymise import CASE_PARTS, KEPT_TEXT

TEXT = (models.CharField, models.TextField, models.JSONField, models.FileField)


def _reaches_a_case(model) -> bool:
    names = {f.name for f in model._meta.concrete_fields}
    return model._meta.label in {label for label, _, _ in CASE_PARTS} or "case" in names


def test_every_text_field_of_a_case_part_is_removed_or_kept_with_a_reason():
    removed = {f"{label}.{name}" for label, _, fields in CASE_PARTS for name in fields}
    unclassified = []
    for model in apps.get_models():
        label = model._meta.label
        if label.split(".")[0] not in {
            "cases",
            "deadlines",
            "risk",
            "support",
            "transfers",
            "letters",
            "repairs",
            "enforcement",
        } or label.split(".")[1].startswith("Historical"):
            continue
        if not _reaches_a_case(model):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT) or field.choices:
                continue
            key = f"{label}.{field.name}"
            if key not in removed and key not in KEPT_TEXT:
                unclassified.append(key)
    assert unclassified == []


def test_every_model_named_in_case_parts_exists_with_its_fields():
    for label, _, fields in CASE_PARTS:
        model = apps.get_model(label)
        for name in fields:
            model._meta.get_field(name)
