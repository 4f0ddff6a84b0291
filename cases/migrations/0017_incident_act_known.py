from django.db import migrations, models

KNOWN_ACTS = [
    "verbal_abuse",
    "discriminatory_language",
    "threats",
    "assault",
    "criminal_damage",
    "vandalism",
    "graffiti",
    "hate_mail",
    "online_abuse",
    "robbery",
    "arson",
    "intimidation",
    "driving_out",
    "interference",
    "sexual",
    "other",
]


def unknown_acts_become_other(apps, schema_editor):
    """Rows stored before the services checked acts: an act the choices do not know becomes
    "other" (the incident still records that something happened), or goes where the
    incident already has "other"."""
    entries = apps.get_model("cases", "IncidentActEntry")
    unknown = entries.objects.exclude(act__in=KNOWN_ACTS)
    has_other = entries.objects.filter(act="other").values("incident_id")
    unknown.filter(incident_id__in=has_other).delete()
    # Two unknown acts on one incident: keep one to become "other".
    seen = set()
    for entry in unknown.order_by("incident_id", "pk"):
        if entry.incident_id in seen:
            entry.delete()
        else:
            seen.add(entry.incident_id)
    unknown.update(act="other")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_online_report_submission_key"),
    ]

    operations = [
        migrations.RunPython(unknown_acts_become_other, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="incidentactentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("act__in", KNOWN_ACTS)), name="incident_act_known"
            ),
        ),
    ]
