"""Writes for letters, the false-report process and closure. Import from the submodules:
``templates`` (template versions), ``issue`` (``letter_issue``, the API other features call),
``delivery`` (rendering, sending, the sweep), ``false_report`` (W20), ``closure`` (W21, C26).
"""
