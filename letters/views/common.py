from cases.views.common import case_for, errors_to_form

__all__ = ["case_for", "errors_to_form"]
