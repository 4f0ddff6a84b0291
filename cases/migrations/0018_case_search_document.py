import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower

import cases.models.case


class _Joined(Aggregate):
    # A frozen copy of cases.services.search._Joined.
    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class TrigramExtensionOnPostgres(TrigramExtension):
    """pg_trgm on PostgreSQL. Django checks the vendor going forwards but not backwards,
    where it would look for pg_extension on SQLite."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_search_documents(apps, schema_editor):
    """Every existing case's search document, as cases.services.search computes it."""
    Case = apps.get_model("cases", "Case")
    CaseParty = apps.get_model("cases", "CaseParty")
    names = (
        CaseParty.objects.filter(case=OuterRef("pk"))
        .values("case")
        .annotate(
            joined=_Joined(
                Concat(
                    Coalesce("person__full_name", Value("")),
                    Value(" "),
                    Coalesce("person__known_as", Value("")),
                    Value(" "),
                    "description",
                    output_field=CharField(),
                )
            )
        )
        .values("joined")
    )
    Case.objects.using(schema_editor.connection.alias).update(
        search_document=Lower(
            Concat(
                "reference",
                Value(" "),
                "location",
                Value(" "),
                Coalesce(Subquery(names), Value("")),
                output_field=CharField(),
            )
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_incident_act_known"),
    ]

    operations = [
        # pg_trgm for the trigram index (a no-op on SQLite); needs a role that may create
        # extensions, or the extension created beforehand by one that may.
        TrigramExtensionOnPostgres(),
        migrations.AddField(
            model_name="case",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=cases.models.case.SearchIndex(
                fallback_field="search_document",
                fields=["search_document"],
                name="case_search_trgm",
                opclasses=["gin_trgm_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=cases.models.case.SearchIndex(
                django.contrib.postgres.search.SearchVector("search_document", config="simple"),
                fallback_field="search_document",
                name="case_search_words",
            ),
        ),
    ]
