"""A policy as a readable file (YAML), and back.

The file is what a landlord keeps under review and shares: its title, then each rule with
its own words, timescales, conditions and what meets it. ``document_parse`` reads a file
into plain data, refusing anything it cannot use with the line it is on; ``document_of``
writes a version out. The schema is documented in the README ("Policy files").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from .vocabulary import (
    CONDITION_FLAGS,
    CONDITION_LISTS,
    CONDITION_WEEKDAYS,
    MATCH_FLAGS,
    MATCH_LISTS,
    UNITS_WITHOUT_AMOUNT,
    Action,
    Event,
    Subject,
    Unit,
)

SCHEMA = 1
RULE_REQUIRED = ("code", "title", "promise", "subject", "starts_on", "timescales")
RULE_OPTIONAL = (
    "clause",
    "met_by",
    "repeats",
    "then_starts",
    "agreed_frequency",
    "window",
    "remind_hours_before",
    "tell_manager_when_overdue",
    "adopted_from",
)
RULE_DEFAULTS = {
    "clause": "",
    "met_by": [],
    "repeats": False,
    "then_starts": "",
    "agreed_frequency": False,
    "window": False,
    "remind_hours_before": None,
    "tell_manager_when_overdue": True,
    "adopted_from": "",
}
TIMESCALE_KEYS = ("unit", "amount", "conditions", "note")
# The rule's own fields (everything but its timescales), as the model stores them.
RULE_FIELDS = (*(k for k in RULE_REQUIRED if k != "timescales"), *RULE_OPTIONAL)


@dataclass
class PolicyFileError(Exception):
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


def _line(node) -> int:
    return node.start_mark.line + 1


def _scalar(node, kind: str):
    if not isinstance(node, yaml.ScalarNode):
        raise PolicyFileError(_line(node), f"Expected {kind} here.")
    return yaml.safe_load(yaml.serialize(node))


def _text(node, name: str, *, max_length: int | None = None, blank=False) -> str:
    value = _scalar(node, "text")
    if value is None and blank:
        return ""
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise PolicyFileError(_line(node), f"'{name}' must be text.")
    if max_length and len(value) > max_length:
        raise PolicyFileError(_line(node), f"'{name}' is longer than {max_length} characters.")
    return value.strip()


def _flag(node, name: str) -> bool:
    value = _scalar(node, "yes or no")
    if not isinstance(value, bool):
        raise PolicyFileError(_line(node), f"'{name}' must be true or false.")
    return value


def _whole(node, name: str, *, low: int = 1, high: int = 32767, blank=False) -> int | None:
    value = _scalar(node, "a number")
    if value is None and blank:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise PolicyFileError(_line(node), f"'{name}' must be a whole number from {low}.")
    return value


def _choice(node, name: str, choices) -> str:
    value = _scalar(node, "a word")
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise PolicyFileError(_line(node), f"'{name}' must be one of: {allowed} (not {value!r}).")
    return value


def _items(node, kind: str = "a list"):
    if not isinstance(node, yaml.SequenceNode):
        raise PolicyFileError(_line(node), f"Expected {kind} here.")
    return node.value


def _mapping(node, kind: str, allowed) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise PolicyFileError(_line(node), f"Expected {kind} here.")
    found = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, "a name")
        if key not in allowed:
            raise PolicyFileError(
                _line(key_node), f"Unknown entry {key!r} in {kind}: use {', '.join(allowed)}."
            )
        if key in found:
            raise PolicyFileError(_line(key_node), f"{key!r} is given twice.")
        found[key] = value_node
    return found


def _choice_list(node, name: str, choices) -> list[str]:
    values = [_choice(item, name, choices) for item in _items(node)]
    if not values:
        raise PolicyFileError(_line(node), f"'{name}' needs at least one value.")
    return values


def _conditions(node) -> dict:
    allowed = (*CONDITION_LISTS, *CONDITION_FLAGS, CONDITION_WEEKDAYS)
    conditions: dict = {}
    for name, value in _mapping(node, "conditions", allowed).items():
        if name in CONDITION_LISTS:
            conditions[name] = _choice_list(value, name, CONDITION_LISTS[name])
        elif name in CONDITION_FLAGS:
            conditions[name] = _flag(value, name)
        else:
            days = [_whole(item, name, low=0, high=6) for item in _items(value)]
            if not days:
                raise PolicyFileError(_line(value), "'started_on' needs at least one weekday.")
            conditions[name] = days
    return conditions


def _timescale(node) -> dict:
    found = _mapping(node, "a timescale", TIMESCALE_KEYS)
    if "unit" not in found:
        raise PolicyFileError(_line(node), "A timescale needs a 'unit'.")
    unit = _choice(found["unit"], "unit", Unit)
    amount = None
    if unit in UNITS_WITHOUT_AMOUNT:
        if "amount" in found and _scalar(found["amount"], "a number") is not None:
            raise PolicyFileError(_line(found["amount"]), f"'{unit}' takes no amount.")
    elif "amount" not in found:
        raise PolicyFileError(_line(node), f"A timescale in {unit} needs an 'amount'.")
    else:
        amount = _whole(found["amount"], "amount")
    return {
        "unit": unit,
        "amount": amount,
        "conditions": _conditions(found["conditions"]) if "conditions" in found else {},
        "note": _text(found["note"], "note", max_length=120, blank=True) if "note" in found else "",
    }


def _matcher(node) -> dict:
    found = _mapping(node, "what meets it", ("action", *MATCH_LISTS, *MATCH_FLAGS))
    if "action" not in found:
        raise PolicyFileError(_line(node), "Each entry of 'met_by' needs an 'action'.")
    matcher: dict = {"action": _choice(found["action"], "action", Action)}
    for name, choices in MATCH_LISTS.items():
        if name in found:
            matcher[name] = _choice_list(found[name], name, choices)
    for name in MATCH_FLAGS:
        if name in found and _flag(found[name], name):
            matcher[name] = True
    return matcher


def _rule(node) -> dict:
    found = _mapping(node, "a rule", (*RULE_REQUIRED, *RULE_OPTIONAL))
    missing = [name for name in RULE_REQUIRED if name not in found]
    if missing:
        raise PolicyFileError(_line(node), f"This rule needs {', '.join(missing)}.")
    code = _text(found["code"], "code", max_length=40)
    if code != code.lower() or not code.replace("_", "").replace("-", "").isalnum():
        raise PolicyFileError(
            _line(found["code"]), "'code' may use only small letters, digits, - and _."
        )
    rule = {
        "code": code,
        "title": _text(found["title"], "title", max_length=120),
        "promise": _text(found["promise"], "promise"),
        "subject": _choice(found["subject"], "subject", Subject),
        "starts_on": _choice(found["starts_on"], "starts_on", Event),
        **RULE_DEFAULTS,
    }
    timescales = [_timescale(item) for item in _items(found["timescales"])]
    if not timescales:
        raise PolicyFileError(_line(found["timescales"]), "A rule needs at least one timescale.")
    rule["timescales"] = timescales
    for name, length in (("clause", 80), ("adopted_from", 120), ("then_starts", 40)):
        if name in found:
            rule[name] = _text(found[name], name, max_length=length, blank=True)
    if "met_by" in found:
        rule["met_by"] = [_matcher(item) for item in _items(found["met_by"])]
    for name in ("repeats", "agreed_frequency", "window", "tell_manager_when_overdue"):
        if name in found:
            rule[name] = _flag(found[name], name)
    if "remind_hours_before" in found:
        rule["remind_hours_before"] = _whole(
            found["remind_hours_before"], "remind_hours_before", low=0, blank=True
        )
    if not rule["met_by"] and not rule["window"]:
        raise PolicyFileError(
            _line(node), "Say what meets this rule ('met_by'), or mark it a window that closes."
        )
    return rule


def document_parse(text: str) -> dict:
    """Read a policy file; ``PolicyFileError`` names the line of the first problem."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise PolicyFileError(mark.line + 1 if mark else None, problem) from error
    if root is None:
        raise PolicyFileError(None, "The file is empty.")
    found = _mapping(root, "the policy", ("schema", "title", "rules"))
    for name in ("schema", "title", "rules"):
        if name not in found:
            raise PolicyFileError(_line(root), f"The policy needs '{name}'.")
    if _scalar(found["schema"], "a number") != SCHEMA:
        raise PolicyFileError(_line(found["schema"]), f"Haven reads schema {SCHEMA} files.")
    rules = []
    codes: dict[str, int] = {}
    for item in _items(found["rules"], "a list of rules"):
        rule = _rule(item)
        if rule["code"] in codes:
            raise PolicyFileError(
                _line(item),
                f"Code {rule['code']!r} is used twice (first on line {codes[rule['code']]}).",
            )
        codes[rule["code"]] = _line(item)
        rules.append(rule)
    problems = document_problems({"rules": rules})
    if problems:
        code, message = problems[0]
        raise PolicyFileError(codes.get(code), message)
    return {
        "schema": SCHEMA,
        "title": _text(found["title"], "title", max_length=200),
        "rules": rules,
    }


def document_problems(document: Mapping) -> list[tuple[str, str]]:
    """What makes a whole policy unusable, rule by rule: (code, message). Used for files and
    before a draft is published."""
    codes = {rule["code"] for rule in document["rules"]}
    started_by_another = {rule["then_starts"] for rule in document["rules"] if rule["then_starts"]}
    problems = []
    for rule in document["rules"]:
        code = rule["code"]
        if rule["then_starts"] and rule["then_starts"] not in codes:
            problems.append((code, f"{code}: 'then_starts' names no rule ({rule['then_starts']})."))
        if rule["repeats"] and rule["then_starts"]:
            problems.append((code, f"{code}: a rule either repeats or starts another, not both."))
        if rule["starts_on"] == Event.PREVIOUS_MET and code not in started_by_another:
            problems.append(
                (code, f"{code}: starts when another rule is met, but no rule starts it.")
            )
        if rule["agreed_frequency"] and not rule["repeats"]:
            problems.append((code, f"{code}: only a repeating rule can take an agreed frequency."))
    return problems


def document_of(version) -> dict:
    """A version as plain data, in the file's shape."""
    rules = []
    for rule in version.rules.all():
        data = {
            "code": rule.code,
            "title": rule.title,
            "clause": rule.clause,
            "promise": rule.promise,
            "subject": rule.subject,
            "starts_on": rule.starts_on,
            "timescales": [
                {
                    "unit": t.unit,
                    "amount": t.amount,
                    "conditions": dict(t.conditions),
                    "note": t.note,
                }
                for t in rule.timescales.all()
            ],
            "met_by": [dict(m) for m in rule.met_by],
            "repeats": rule.repeats,
            "then_starts": rule.then_starts,
            "agreed_frequency": rule.agreed_frequency,
            "window": rule.window,
            "remind_hours_before": rule.remind_hours_before,
            "tell_manager_when_overdue": rule.tell_manager_when_overdue,
            "adopted_from": rule.adopted_from,
        }
        rules.append(data)
    return {"schema": SCHEMA, "title": version.title, "rules": rules}


def _tidy(rule: dict) -> dict:
    """Leave out what says nothing (defaults, empty conditions) so the file reads well."""
    order = ("code", "title", "clause", "promise", "subject", "starts_on", "timescales", "met_by")
    keys = [*order, *(k for k in rule if k not in order)]
    out = {
        k: rule[k]
        for k in keys
        if k in rule and (k in RULE_REQUIRED or rule[k] != RULE_DEFAULTS.get(k))
    }
    out["timescales"] = [
        {k: v for k, v in t.items() if v not in (None, "", {})} for t in rule["timescales"]
    ]
    return out


HEADER = (
    "# A Haven policy file (schema {schema}). Each rule: what starts it (starts_on), how long\n"
    "# it allows (timescales: the first whose conditions fit the case applies), and what meets\n"
    '# it (met_by). See "Policy files" in Haven\'s README for every word it may use.\n'
)


def document_dump(document: Mapping) -> str:
    body = {
        "schema": document["schema"],
        "title": document["title"],
        "rules": [_tidy(rule) for rule in document["rules"]],
    }
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=96)
    return HEADER.format(schema=document["schema"]) + text
