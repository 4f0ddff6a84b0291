from cases.views.common import errors_to_form

__all__ = ["errors_to_form"]
