"""The three forms a draft is typed in, asking exactly what its kind needs, with examples as placeholders.

Discord's forms hold at most five text inputs: the text form (title, date, summary, body, and the id or
the reason), the details form (the kind's figures in plain words, the sources, aliases, the month checked)
and the links-and-notes form (related facts, what it responds to, tags, the note, date uncertain).
Adding a fact needs the first two; the third is there for what cards show beyond them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import InvalidInput
from bot.facts import render
from bot.facts.model.fact import KIND_LABELS, MAX_NOTE, Fact
from bot.moderation.model.drafts import Draft, draft_from_fact
from bot.moderation.model.wording import DETAILS_FORM, TEXT_FORM

PLACEHOLDER_LIMIT = 100  # Discord's
# Discord's limit for one text input: a fact's sources can fill most of it (six sources run to 2,500).
FORM_TEXT_LIMIT = 4000


@dataclass(frozen=True)
class FormField:
    """One text input of a draft form; `name` is both the Draft field and the input's custom_id."""

    name: str
    label: str
    max_length: int
    required: bool = True
    long: bool = False
    placeholder: str | None = None


TEXT_FIELDS = (
    FormField("title", "Title", 200),
    FormField("dates", "Date: YYYY, YYYY-MM or YYYY-MM-DD", 30),
    FormField("summary", "Summary (one line)", 300, long=True),
    FormField("body", "Body", 3000, required=False, long=True, placeholder="Optional: a longer account"),
)
ID_FIELD = FormField(
    "fact_id", "Id (optional)", 64, required=False, placeholder="Made from the kind, date and title if empty"
)
REASON_FIELD = FormField("reason", "Reason for the change", 300, required=False)
DETAIL_FIELDS = (
    FormField("figures", "Figures: one 'Name: value' a line", FORM_TEXT_LIMIT, required=False, long=True),
    FormField(
        "sources",
        "Sources: URL | publisher | title | date",
        FORM_TEXT_LIMIT,
        long=True,
        placeholder="One a line. https://press.un.org/en/2017/sc13040.doc.htm | United Nations | SC/13040 | 2017-09-11",
    ),
    FormField("aliases", "Aliases (one a line)", FORM_TEXT_LIMIT, required=False, long=True),
    FormField(
        "checked",
        "Checked against its sources (YYYY-MM)",
        10,
        required=False,
        placeholder="The month you last verified it, e.g. 2026-12",
    ),
)  # fmt: skip
LINK_FIELDS = (
    FormField(
        "links",
        "Related facts (ids or names, one a line)",
        2000,
        required=False,
        long=True,
        placeholder="e.g. singapore-summit-2018, or Singapore summit",
    ),
    FormField(
        "responds_to",
        "In response to (ids or names, one a line)",
        2000,
        required=False,
        long=True,
        placeholder="What this answers, e.g. nuclear-test-6 for a resolution",
    ),
    FormField("tags", "Tags (one a line or comma-separated)", 2000, required=False, long=True),
    FormField(
        "note", "Note (shown in italics on the card)", MAX_NOTE, required=False, long=True,
        placeholder="e.g. The ministries' figures differ; the JCS count is used.",
    ),
    FormField("date_uncertain", "Date uncertain? yes or no", 5, required=False, placeholder="no"),
)  # fmt: skip


def _clip(text: str) -> str:
    return render.clip(" ".join(text.split()), PLACEHOLDER_LIMIT)


def examples(kind: str, example: Fact | None) -> dict[str, str]:
    """Placeholders from a real fact of the kind (the newest): what a title, a summary or a figure of
    this kind looks like."""
    if example is None:
        return {"dates": "2018-06-12, or a range: 2018-06-12 to 2018-06-13"}
    typed = draft_from_fact(example)
    return {
        "title": _clip(f"e.g. {example.title}"),
        "dates": _clip(f"e.g. {typed.dates}, or a range: 2018-06-12 to 2018-06-13"),
        "summary": _clip(f"e.g. {example.summary}"),
        "figures": _clip(typed.figures.replace("\n", "; ")),
        "sources": _clip("One a line. " + typed.sources.splitlines()[0]) if typed.sources else "",
    }


def form_fields(form: str, *, adding: bool, placeholders: dict[str, str]) -> tuple[FormField, ...]:
    """The inputs of one form, with the kind's examples as placeholders."""
    fields: tuple[FormField, ...]
    if form == TEXT_FORM:
        fields = (*TEXT_FIELDS, ID_FIELD if adding else REASON_FIELD)
    elif form == DETAILS_FORM:
        fields = DETAIL_FIELDS
    else:
        fields = LINK_FIELDS
    return tuple(
        FormField(
            f.name, f.label, f.max_length, f.required, f.long, placeholders.get(f.name) or f.placeholder
        )
        for f in fields
    )


def form_title(form: str, draft: Draft, *, adding: bool) -> str:
    kind = KIND_LABELS[draft.kind]
    if form == TEXT_FORM:
        return f"{'New' if adding else 'Edit'}: {kind}"
    return f"{'Details' if form == DETAILS_FORM else 'Links and notes'}: {kind}"


def check_fits(draft: Draft, fields: tuple[FormField, ...]) -> None:
    """Discord refuses a form whose text is longer than its input allows: say so plainly instead."""
    for field in fields:
        current = getattr(draft, field.name) or ""
        if len(current) > field.max_length:
            raise InvalidInput(
                f"This fact's {field.label.split(' (')[0].split(':')[0].lower()} ({len(current):,} characters) "
                f"do not fit in a Discord form ({field.max_length:,}). Change them in a file: "
                "/factmod export, then /factmod import."
            )
