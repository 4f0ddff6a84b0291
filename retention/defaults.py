"""Haven's default retention schedule: what each organisation keeps, for how long, and why.

An organisation that has not set a rule runs on the default below; its settings page shows
the default with its basis, and an organisation admin may change the period and must give
their own reason. The bases are summarised in README.md ("Retention, legal hold and erasure").
"""

from dataclasses import dataclass

from .models import PeriodUnit, RetentionKind


@dataclass(frozen=True)
class DefaultRule:
    kind: str
    amount: int
    unit: str
    basis: str


DEFAULTS: dict[str, DefaultRule] = {
    rule.kind: rule
    for rule in (
        DefaultRule(
            RetentionKind.CLOSED_CASE,
            6,
            PeriodUnit.YEARS,
            "Six years after closure: the Limitation Act 1980 (ss. 2 and 5) gives six years "
            "to bring a claim in negligence or contract about how a case was handled, and "
            "the file is the landlord's evidence. UK GDPR Art. 5(1)(e): no longer than that.",
        ),
        DefaultRule(
            RetentionKind.CLOSED_CASE_COURT_ORDER,
            12,
            PeriodUnit.YEARS,
            "Twelve years after closure where an injunction, restraining order, demotion or "
            "possession order was granted: the order may be relied on in later proceedings "
            "about the same tenancy or perpetrator, and twelve years is the Limitation Act "
            "1980 (s. 15) period for an action to recover land.",
        ),
        DefaultRule(
            RetentionKind.REJECTED_ONLINE_REPORT,
            90,
            PeriodUnit.DAYS,
            "Ninety days after rejection: no case was opened, so the report and its "
            "attachment are kept only long enough to answer a resident who asks why it was "
            "not taken up, then deleted.",
        ),
        DefaultRule(
            RetentionKind.ACCESS_LOG,
            2,
            PeriodUnit.YEARS,
            "Two years: long enough to investigate a complaint or a data breach about who "
            "opened a case (a resident may go to the Housing Ombudsman up to a year after "
            "the landlord's final response), then deleted.",
        ),
        DefaultRule(
            RetentionKind.UNSUCCESSFUL_TRANSFER,
            2,
            PeriodUnit.YEARS,
            "Two years after a transfer request was declined or withdrawn: a new request "
            "from the same household is weighed against the last one; after that the "
            "reasons are stale. Anonymised, so the dashboards' transfer figures stay.",
        ),
    )
}
