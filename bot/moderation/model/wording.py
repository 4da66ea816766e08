"""Plain words for moderators: figure and field labels, and every validation problem said in them,
together with the form that holds the field in error.

The fact model names fields as the dataset stores them (`system_classes`, `responds_to`); a moderator
reads "Class" and "In response to", and is sent back to the form where that field is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.facts.model.figures import FIGURE_LABELS, FIGURE_SCHEMA

# The three forms a draft is typed in.
TEXT_FORM, DETAILS_FORM, LINKS_FORM = "text", "details", "links"
FORM_NAMES = {TEXT_FORM: "Text", DETAILS_FORM: "Details", LINKS_FORM: "Links and notes"}

# In a form a figure's unit belongs in its label: "Apogee (km): 6000".
_FORM_LABEL_OVERRIDES = {
    "apogee_km": "Apogee (km)",
    "distance_km": "Distance (km)",
    "yield_kt_min": "Yield, low (kt)",
    "yield_kt_max": "Yield, high (kt)",
}

FIELD_LABELS = {
    "id": "Id",
    "title": "Title",
    "summary": "Summary",
    "body": "Body",
    "date": "Date",
    "end_date": "End date",
    "checked": "Checked",
    "aliases": "Aliases",
    "tags": "Tags",
    "related": "Related facts",
    "responds_to": "In response to",
    "note": "Note",
    "date_uncertain": "Date uncertain",
    "sources": "Sources",
    "figures": "Figures",
    "retired": "Retired",
    "retired_reason": "Reason retired",
    "kind": "Kind",
}
FIELD_FORMS = {
    "id": TEXT_FORM,
    "title": TEXT_FORM,
    "summary": TEXT_FORM,
    "body": TEXT_FORM,
    "date": TEXT_FORM,
    "end_date": TEXT_FORM,
    "checked": DETAILS_FORM,
    "aliases": DETAILS_FORM,
    "sources": DETAILS_FORM,
    "source": DETAILS_FORM,
    "figures": DETAILS_FORM,
    "tags": LINKS_FORM,
    "related": LINKS_FORM,
    "responds_to": LINKS_FORM,
    "note": LINKS_FORM,
    "date_uncertain": LINKS_FORM,
}

KIND_NOUNS = {
    "nuclear_test": "a nuclear test",
    "missile_launch": "a missile launch",
    "satellite_launch": "a satellite launch",
    "un_resolution": "a UN resolution",
    "un_draft": "a failed UN draft resolution",
    "un_body": "a UN sanctions body",
    "unilateral": "unilateral sanctions",
    "agreement": "an agreement",
    "multilateral": "multilateral talks",
    "summit": "a summit",
    "bilateral": "a bilateral meeting",
    "withdrawal": "a withdrawal",
}

_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "text": "text of at most 300 characters",
    "list of text": "a list (comma-separated, or one `- item` a line)",
    "true/false": "yes or no",
}


def figure_label(name: str) -> str:
    """A figure's name in a form: its card label, with its unit when it has one."""
    return _FORM_LABEL_OVERRIDES.get(name) or FIGURE_LABELS.get(name, name)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or FIGURE_LABELS.get(name) or name.replace("_", " ").capitalize()


def figure_name(kind: str, typed: str) -> str:
    """The figure a typed line names: its form label, its card label or its stored name, in any case.
    Unknown names are returned as typed, for validation to name."""
    wanted = " ".join(typed.split()).casefold()
    for name in FIGURE_SCHEMA[kind]:
        if wanted in (name.casefold(), figure_label(name).casefold(), FIGURE_LABELS.get(name, "").casefold()):
            return name
    return typed.strip()


@dataclass(frozen=True)
class Problem:
    """One problem with a draft, in plain words, with the form that holds the field in error;
    `missing` when it is only something not typed yet (a required figure, the first source)."""

    text: str
    form: str
    missing: bool = False


_FIGURE_REQUIRED = re.compile(r"^figure '(?P<name>\w+)' is required for \w+$")
_FIGURE_TYPE = re.compile(r"^figure '(?P<name>\w+)' must be (?P<type>[a-z/ ]+) \(got (?P<got>.*)\)$")
_FIGURE_UNKNOWN = re.compile(r"^unknown figure '(?P<name>[^']*)' for \w+ \(known: .*\)$")
_FIGURE_NEGATIVE = re.compile(r"^figure '(?P<name>\w+)' cannot be negative$")
_FIGURES_LINE = re.compile(r"^figures line (?P<n>\d+) \((?P<line>.*)\) needs the form `name: value`$")
_DANGLING = re.compile(r"^[^:]*: (?P<field>related|responds_to) names unknown id '(?P<id>[^']*)'$")
_FIELD_FIRST = re.compile(r"^(?P<field>[a-z_]+)(?P<rest>[: ].*)$")


def explain(kind: str, problem: str) -> Problem:
    """A validation problem from the fact model, said in a moderator's words."""
    noun = KIND_NOUNS.get(kind, kind)
    if match := _FIGURE_REQUIRED.match(problem):
        return Problem(f"{figure_label(match['name'])} is required for {noun}", DETAILS_FORM, missing=True)
    if match := _FIGURE_TYPE.match(problem):
        wanted = _TYPE_WORDS.get(match["type"], match["type"])
        return Problem(f"{figure_label(match['name'])} must be {wanted} (got {match['got']})", DETAILS_FORM)
    if match := _FIGURE_UNKNOWN.match(problem):
        known = ", ".join(figure_label(n) for n in FIGURE_SCHEMA.get(kind, {}))
        return Problem(f"{match['name']!r} is not a figure of {noun} (it takes: {known})", DETAILS_FORM)
    if match := _FIGURE_NEGATIVE.match(problem):
        return Problem(f"{figure_label(match['name'])} cannot be negative", DETAILS_FORM)
    if match := _FIGURES_LINE.match(problem):
        return Problem(
            f"Figures line {match['n']} ({match['line']}) needs the form `Name: value`", DETAILS_FORM
        )
    if match := _DANGLING.match(problem):
        return Problem(f"{field_label(match['field'])}: no fact has the id {match['id']!r}", LINKS_FORM)
    if problem == "at least one source is required":
        return Problem("At least one source is required", DETAILS_FORM, missing=True)
    if problem == "a fact cannot link to itself":
        return Problem("A fact cannot link to itself (Related facts, In response to)", LINKS_FORM)
    for name in ("outcome", "issuer", "missiles", "system_classes"):
        if problem.startswith(f"{name} must"):
            return Problem(f"{figure_label(name)}{problem[len(name) :]}", DETAILS_FORM)
    if problem.startswith("unknown system class"):
        return Problem(f"Class: {problem[len('unknown ') :]} is not known", DETAILS_FORM)
    if problem.startswith(("yield_kt_min", "the Security Council")):
        text = problem.replace("yield_kt_min", "Yield, low").replace("yield_kt_max", "Yield, high")
        return Problem(text[0].upper() + text[1:], DETAILS_FORM)
    if problem.startswith("source ") and "url 'https://…'" in problem:
        number = problem.split(":")[0].removeprefix("source ")
        return Problem(
            f"Source {number}: the address of the report (in place of https://…)", DETAILS_FORM, True
        )
    if problem.startswith(("source ", "sources line")):
        return Problem(problem[0].upper() + problem[1:], DETAILS_FORM)
    if match := _FIELD_FIRST.match(problem):
        field = match["field"]
        if field in FIELD_FORMS:
            return Problem(
                field_label(field) + match["rest"].replace("end_date", "end date"),
                FIELD_FORMS[field],
                missing=match["rest"] == " is missing",
            )
    return Problem(problem[:1].upper() + problem[1:], TEXT_FORM)


def explain_all(kind: str, problems: list[str]) -> list[Problem]:
    """Every problem in plain words, the text form's first, then the details', then links and notes."""
    order = (TEXT_FORM, DETAILS_FORM, LINKS_FORM)
    return sorted((explain(kind, p) for p in problems), key=lambda p: order.index(p.form))
