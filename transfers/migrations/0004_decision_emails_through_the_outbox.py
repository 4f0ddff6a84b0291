from django.db import migrations


def pending_decision_emails_to_the_outbox(apps, schema_editor):
    """Officers' decision e-mails the old beat task had still to send."""
    PanelDecision = apps.get_model("transfers", "PanelDecision")
    OutgoingEmail = apps.get_model("outbox", "OutgoingEmail")
    pending = PanelDecision.objects.filter(officer_notified_at__isnull=True).values_list(
        "pk", flat=True
    )
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(kind="transfers.decision_officer", key=str(pk), params={"decision": pk})
        for pk in pending
    )


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0003_history_change_reason_text"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(pending_decision_emails_to_the_outbox, migrations.RunPython.noop),
    ]
