"""Date entry shared by the case forms (issue 17): separate day, month and year boxes, as
GOV.UK does, so the format never depends on the browser's language; a date and time adds one
time box (four Tab stops, where the browser's own date-time picker took five or six).

The server checks each part and says what is missing ("Date of birth must include a month").
A single ISO value (``2026-11-02`` or ``2026-11-02T14:30``) is still accepted under the
field's own name, for anything that posts the whole value at once.
"""

import datetime
import re

from django import forms
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.text import capfirst

from policy.formats import uk_date

DATE_PARTS = ("day", "month", "year")
PART_CLASSES = {"day": "date-entry-day", "month": "date-entry-month", "year": "date-entry-year"}
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class DateEntry(forms.MultiWidget):
    """Day, month and year boxes (and, for a date and time, a time box)."""

    template_name = "django/forms/widgets/date_entry.html"
    use_fieldset = True
    parts: tuple[str, ...] = DATE_PARTS

    def __init__(self, attrs=None, autocomplete: str = ""):
        boxes = {}
        for part in self.parts:
            box = {"inputmode": "numeric", "class": PART_CLASSES.get(part, "date-entry-time")}
            if part == "time":
                box.update(inputmode="text", spellcheck="false")
            if autocomplete and part in DATE_PARTS:
                box["autocomplete"] = f"{autocomplete}-{part}"
            boxes[part] = forms.TextInput(attrs=box)
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            value = _parse_iso(value)
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            parts = [str(value.day), str(value.month), str(value.year)]
            return [*parts, value.strftime("%H:%M")][: len(self.parts)]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)][: len(self.parts)]
        return [None] * len(self.parts)

    def value_from_datadict(self, data, files, name):
        keys = [f"{name}_{part}" for part in self.parts]
        if any(key in data for key in keys):
            return tuple((data.get(key) or "").strip() for key in keys)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, sub in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            sub["part_label"] = part.capitalize()
            own = PART_CLASSES.get(part, "date-entry-time")
            sub["attrs"]["class"] = f"form-control {own}"
        return context


class DateTimeEntry(DateEntry):
    parts = (*DATE_PARTS, "time")


def _plain(label) -> str:
    """The label as a message names it: "Date it happened (optional)" is "Date it happened"."""
    return str(label).removesuffix(" (optional)")


def _parse_iso(value: str):
    try:
        return (
            datetime.datetime.fromisoformat(value)
            if "T" in value or " " in value
            else (datetime.date.fromisoformat(value))
        )
    except ValueError:
        return None


def _date_from_parts(label: str, day: str, month: str, year: str) -> datetime.date:
    missing = [part for part, text in zip(DATE_PARTS, (day, month, year), strict=True) if not text]
    if missing:
        raise forms.ValidationError(
            f"{label} must include a {' and '.join(missing)}", code="incomplete"
        )
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        raise forms.ValidationError(f"{label} must be a real date, in numbers", code="invalid")
    if len(year) != 4:
        raise forms.ValidationError("The year must include 4 numbers", code="invalid")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise forms.ValidationError(f"{label} must be a real date", code="invalid") from None


class DateEntryField(forms.DateField):
    """A date entered in day, month and year boxes."""

    widget = DateEntry

    def __init__(self, *args, autocomplete: str = "", **kwargs):
        kwargs.setdefault("widget", DateEntry(autocomplete=autocomplete))
        super().__init__(*args, **kwargs)
        if "This field" in self.error_messages["required"]:
            subject = _plain(self.label).lower() if self.label else "the date"
            self.error_messages["required"] = f"Enter {subject}"

    def _name(self) -> str:
        return capfirst(_plain(self.label)) if self.label else "The date"

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            if not any(value):
                return None
            return _date_from_parts(self._name(), *value[:3])
        return super().to_python(value)


class DateTimeEntryField(forms.DateTimeField):
    """A date and time: day, month and year boxes and a time box ("14:30")."""

    widget = DateTimeEntry

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateTimeEntry())
        super().__init__(*args, **kwargs)
        if "This field" in self.error_messages["required"]:
            subject = _plain(self.label).lower() if self.label else "the date and time"
            self.error_messages["required"] = f"Enter {subject}"

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            if not any(value):
                return None
            name = capfirst(_plain(self.label)) if self.label else "The date"
            day, month, year, time = value
            date = _date_from_parts(name, day, month, year)
            if not time:
                raise forms.ValidationError(f"{name} must include a time", code="incomplete")
            match = TIME_PATTERN.match(time)
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise forms.ValidationError(
                    "Enter the time in hours and minutes, for example 14:30", code="invalid"
                )
            moment = datetime.datetime.combine(date, datetime.time(int(match[1]), int(match[2])))
            # Django's own check refuses a time the clocks skip or repeat; say it in words.
            try:
                return from_current_timezone(moment)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"The clocks changed at {time} on {uk_date(date)}: enter a time an hour"
                    " earlier or later",
                    code="ambiguous",
                ) from None
        return super().to_python(value)


def not_in_future(value, message: str):
    if value is not None and value > timezone.now():
        raise forms.ValidationError(message)
    return value
