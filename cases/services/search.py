"""The case list's search document: what a search of a name or reference looks in."""

from collections.abc import Iterable

from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower

from ..models import Case, CaseParty


class _Joined(Aggregate):
    """The group's strings joined by spaces: STRING_AGG on PostgreSQL, GROUP_CONCAT on
    SQLite (Django 5.2 has no portable string aggregate)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def search_document():
    """The expression a case's ``search_document`` is set to, computed by the database so a
    refresh of one case and of a hundred thousand are the same statement."""
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
    return Lower(
        Concat(
            "reference",
            Value(" "),
            "location",
            Value(" "),
            Coalesce(Subquery(names), Value("")),
            output_field=CharField(),
        )
    )


def case_search_refresh(*, case_ids: Iterable[int] | None = None) -> int:
    """Recompute the search document of these cases (all cases when ``case_ids`` is None),
    in one UPDATE. Called inside the transaction of every service that changes a case's
    reference or location, adds or removes a party, or renames a person; and after bulk
    writes (seed_volume). Returns how many cases were refreshed."""
    cases = Case.objects.all() if case_ids is None else Case.objects.filter(pk__in=case_ids)
    return cases.update(search_document=search_document())
