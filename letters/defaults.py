# ruff: noqa: E501  (letter paragraphs stay one to a line, as admins edit them)
"""The letters every organisation starts with (version 1 of each kind), worded from the two
policies. Organisation admins edit them in the browser; edits become new versions."""

from .models import LetterKind

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    LetterKind.ACKNOWLEDGEMENT: (
        "Your report {{ case_reference }}",
        """Dear {{ recipient_name }},

Thank you for telling us about what has been happening. We received your report on {{ report_date }} and we take it seriously.

Your case reference is {{ case_reference }}. Your case is being handled by {{ officer_name }}, who will be your contact at {{ organisation_name }}.

{{ officer_name }} will next be in touch with you by {{ next_contact_date }}. If anything else happens before then, or you feel unsafe, please contact us straight away. In an emergency, call 999.

{{ reason }}

Yours sincerely,""",
    ),
    LetterKind.ACTION_PLAN: (
        "Your action plan for case {{ case_reference }}",
        """Dear {{ recipient_name }},

This letter sets out the action plan for your case {{ case_reference }}, as agreed or updated on {{ letter_date }}.

{{ plan_summary }}

We will review the plan with you regularly. If something in it is not working for you, or anything changes, please contact {{ officer_name }}.

{{ reason }}

Yours sincerely,""",
    ),
    LetterKind.FALSE_REPORT_CONCERN: (
        "Your case {{ case_reference }}: we need more information",
        """Dear {{ recipient_name }},

We are writing about your case {{ case_reference }}. Having looked carefully at the information we have, we have concerns that we need to share with you:

{{ concern_reasons }}

You have the opportunity to give us further evidence in support of your case. Please send it to {{ officer_name }}, or ask us to collect it, by {{ evidence_due_date }}.

If you need help providing the evidence, or you would like it in another format, please contact us.

Yours sincerely,""",
    ),
    LetterKind.NO_FURTHER_SUPPORT: (
        "Your case {{ case_reference }}: outcome",
        """Dear {{ recipient_name }},

We wrote to you recently about your case {{ case_reference }} and our concerns about the information we had received.

We have considered everything we hold, including anything you sent us since, and our concerns have not been resolved. We are therefore unable to provide further support under our harassment and hate crime policy for this case.

{{ reason }}

If you experience harassment or a hate crime in future, please report it to us and we will look into it.

Yours sincerely,""",
    ),
    LetterKind.CLOSURE: (
        "Your case {{ case_reference }} is closed",
        """Dear {{ recipient_name }},

We are writing to let you know that we have closed your case {{ case_reference }}.

The reason for closing it: {{ closure_reason }}.

{{ closure_rationale }}

We remain available to you. If further incidents of this nature happen, please contact us straight away and we will act on them.

{{ appeal_text }}

We would value your view of how we handled your case. You can tell us at {{ feedback_link }}, or when we call you.

Yours sincerely,""",
    ),
    LetterKind.PANEL_DECISION: (
        "Housing panel decision: case {{ case_reference }}",
        """Dear {{ recipient_name }},

The housing panel has considered your case {{ case_reference }}. Its decision is:

{{ panel_decision }}

{{ reason }}

If you have any questions about the decision, please contact {{ officer_name }}.

Yours sincerely,""",
    ),
}
