"""Facts as Discord embeds that always fit Discord's limits (by clipping, never by failing)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import discord

from bot.facts.model.fact import KIND_LABELS, Category, Fact, FactDate, Source
from bot.facts.model.figures import FIGURE_LABELS
from bot.facts.model.replies import Answer
from bot.facts.store import FactDetail, FactRef
from bot.i18n import N_, _, current_locale, language_of, month_or_year, ngettext

# Discord's embed limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
# A card's fields: date and kind, then key figures, then up to three link fields and the sources.
MAX_KEY_FIGURES = FIELD_COUNT_LIMIT - 2 - 4
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000

CATEGORY_COLOURS = {
    Category.TESTS: discord.Colour.from_rgb(200, 60, 50),
    Category.SANCTIONS: discord.Colour.from_rgb(60, 110, 200),
    Category.TALKS: discord.Colour.from_rgb(70, 160, 90),
}
NEUTRAL_COLOUR = discord.Colour.from_rgb(120, 120, 130)
ISSUER_NAMES = {
    "us": N_("United States"),
    "japan": N_("Japan"),
    "south_korea": N_("South Korea"),
    "eu": N_("European Union"),
    "other": N_("Other"),
}
CATEGORY_LABELS = {
    Category.TESTS: N_("Tests"),
    Category.SANCTIONS: N_("Sanctions"),
    Category.TALKS: N_("Talks"),
}


def category_label(category: Category) -> str:
    """`Tests`, `Sanctions`, `Talks`, in the member's language."""
    return _(CATEGORY_LABELS[category])


def kind_label(kind: str) -> str:
    """A kind of fact as people say it (bot.facts.model.fact.KIND_LABELS), in the member's language."""
    return _(KIND_LABELS.get(kind, kind))


def figure_label(name: str) -> str:
    """A figure's name on a card (bot.facts.model.figures.FIGURE_LABELS), in the member's language."""
    return _(FIGURE_LABELS.get(name, name))


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, ending with an ellipsis when cut (on a word boundary if near)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


# A line that starts a bullet in the dataset's text ("- item", "* item"): shown as a real bullet,
# which escaping would otherwise turn into a literal "\-".
_BULLET = re.compile(r"^[ \t]*[-*][ \t]+", re.M)


@functools.lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Fact text shown literally: markdown escaped and mentions defused (allowed_mentions is the
    real guard against pings; this keeps `@everyone` from even looking like one); bullets kept as
    bullets. Cached: cards show the same few hundred texts again and again, and escaping them is a
    good part of drawing a card."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(_BULLET.sub("• ", text)))


# Figures that name something (resolution 2397, round 4): never written with a thousands separator.
IDENTIFYING_FIGURES = frozenset({"resolution_number", "established_by", "test_number", "round", "phase"})


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def figure_value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(plain(str(v)) for v in value)
    if name in IDENTIFYING_FIGURES:
        return str(value)
    if name in ("apogee_km", "distance_km"):
        return f"{_number(value)} km"
    if name == "bearing_deg":
        return f"{_number(value)}°"
    if name.startswith("yield_kt"):
        return f"{_number(value)} kt"
    if name == "issuer":
        return _(ISSUER_NAMES[value]) if value in ISSUER_NAMES else str(value)
    if name == "outcome" and isinstance(value, str):
        return value.capitalize()
    if isinstance(value, int | float):
        return _number(value)
    return plain(str(value))


def _key_figures(fact: Fact) -> list[tuple[str, str, bool]]:
    figures = dict(fact.figures)
    fields: list[tuple[str, str, bool]] = []
    if {"votes_for", "votes_against", "abstentions"} <= figures.keys():
        vote = f"{figures.pop('votes_for')}–{figures.pop('votes_against')}–{figures.pop('abstentions')}"
        fields.append((_("Vote (for–against–abstained)"), vote, True))
    low, high = figures.pop("yield_kt_min", None), figures.pop("yield_kt_max", None)
    if low is not None and high is not None:
        fields.append((_("Estimated yield"), f"{_number(low)}–{_number(high)} kt", True))
    elif low is not None or high is not None:
        fields.append((_("Estimated yield"), f"{_number(low or high or 0)} kt", True))
    for name, value in figures.items():
        if name == "measures":
            continue
        fields.append((figure_label(name), figure_value(name, value), name != "participants"))
    if "measures" in figures:
        fields.append(
            (figure_label("measures"), "\n".join(f"• {plain(m)}" for m in figures["measures"]), False)
        )
    return fields


def ref_line(ref: FactRef | Fact) -> str:
    return f"{plain(ref.title)} ({ref.date.display()}) · `{ref.id}`"


def _lines_field(lines: Iterable[str], limit: int = FIELD_VALUE_LIMIT) -> str:
    """Join lines, dropping whole lines that do not fit and saying how many were left out."""
    lines = list(lines)
    kept: list[str] = []
    for index, line in enumerate(lines):
        more = "\n" + _("…and {count} more").format(count=len(lines) - index)
        candidate = "\n".join([*kept, line])
        if len(candidate) + (len(more) if index < len(lines) - 1 else 0) > limit:
            kept.append(more.strip())
            break
        kept.append(line)
    return clip("\n".join(kept), limit)


def embed_size(embed: discord.Embed) -> int:
    """Characters that count toward Discord's 6,000 limit."""
    return len(embed)  # discord.py counts title, description, fields, footer and author, as Discord does


def fit(embed: discord.Embed, limit: int = EMBED_TOTAL_LIMIT) -> discord.Embed:
    """Trim the description, then drop trailing fields, until the embed fits `limit`."""
    excess = embed_size(embed) - limit
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(100, len(embed.description) - excess))
    while embed_size(embed) > limit and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def fact_card(detail: FactDetail | Fact, *, budget: int = EMBED_TOTAL_LIMIT) -> discord.Embed:
    """The full card: title, date honouring its precision, summary and body, key figures, links, sources."""
    fact = detail.fact if isinstance(detail, FactDetail) else detail
    description = f"**{plain(fact.summary)}**"
    if fact.body:
        description += "\n\n" + plain(fact.body)
    if fact.note:
        description += "\n\n*" + _("Note: {note}").format(note=plain(fact.note)) + "*"
    embed = discord.Embed(
        title=clip(fact.title, TITLE_LIMIT),
        description=clip(description, 3000),
        colour=CATEGORY_COLOURS[fact.category],
    )
    date = fact.date_text + (" " + _("(date uncertain)") if fact.date_uncertain else "")
    embed.add_field(name=_("Date"), value=date, inline=True)
    embed.add_field(name=_("Kind"), value=kind_label(fact.kind), inline=True)
    for name, value, inline in _key_figures(fact)[:MAX_KEY_FIGURES]:
        embed.add_field(
            name=clip(name, FIELD_NAME_LIMIT), value=clip(value, FIELD_VALUE_LIMIT), inline=inline
        )
    if isinstance(detail, FactDetail):
        for label, refs in (
            (_("In response to"), detail.responds_to),
            (_("What came next"), detail.responses),
            (_("Related"), detail.related),
        ):
            if refs:
                embed.add_field(name=label, value=_lines_field(ref_line(r) for r in refs), inline=False)
    sources = [
        f"[{plain(s.publisher)}]({s.url})" + (f": {plain(s.title)}" if s.title else "") for s in fact.sources
    ]
    embed.add_field(name=_("Sources"), value=_lines_field(sources) or "—", inline=False)
    footer = [fact.id, _("revision {revision}").format(revision=fact.revision)]
    if fact.checked:
        footer.append(_("Checked {date}").format(date=fact.checked.iso()))
    embed.set_footer(text=clip(" · ".join(footer), FOOTER_LIMIT))
    return fit(embed, budget)


def list_colour(facts: Sequence[Fact]) -> discord.Colour:
    """A list takes its category's colour; a list mixing categories takes a neutral one."""
    categories = {fact.category for fact in facts}
    return CATEGORY_COLOURS[categories.pop()] if len(categories) == 1 else NEUTRAL_COLOUR


def compact_list(title: str, facts: Sequence[Fact], *, start: int = 1, footer: str = "") -> discord.Embed:
    """A numbered list of facts: title, date and one-line summary each, in the list's colour."""
    lines = [
        f"**{start + i}. {plain(f.title)}** · {f.date_text}\n{plain(clip(f.summary, 200))}"
        for i, f in enumerate(facts)
    ]
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip("\n\n".join(lines) or _("Nothing here."), DESCRIPTION_LIMIT),
        colour=list_colour(facts),
    )
    if footer:
        embed.set_footer(text=clip(footer, FOOTER_LIMIT))
    return fit(embed)


# --- answers: the answer first, the detail behind buttons ------------------------------------------

ANSWER_SOURCES = 2
ANSWER_FIGURES = 6


def source_line(source: Source, *, dated: bool = True) -> str:
    line = f"[{plain(source.publisher)}]({source.url})" + (f": {plain(source.title)}" if source.title else "")
    return line + (f" ({FactDate.parse(source.date).display()})" if dated and source.date else "")


def _answer_line(fact: Fact) -> str:
    """The date in bold, once: inside the summary where it already says it, else before it."""
    summary = plain(fact.summary)
    date = fact.date_text
    if fact.date_uncertain:
        return f"**{date} {_('(date uncertain)')}** · {summary}"
    if date in summary:
        return summary.replace(date, f"**{date}**", 1)
    return f"**{date}** · {summary}"


def answer_card(fact: Fact, *, budget: int = EMBED_TOTAL_LIMIT) -> discord.Embed:
    """The answer to a question: one line that answers it (the date, then what happened or was decided),
    the key figures and the two best sources. The full text, every source and the related facts are
    behind the buttons under it. The date appears once, in that first line."""
    embed = discord.Embed(
        title=clip(fact.title, TITLE_LIMIT),
        description=clip(_answer_line(fact), 1000),
        colour=CATEGORY_COLOURS[fact.category],
    )
    for name, value, inline in _key_figures(fact)[:ANSWER_FIGURES]:
        embed.add_field(
            name=clip(name, FIELD_NAME_LIMIT), value=clip(value, FIELD_VALUE_LIMIT), inline=inline
        )
    shown = [source_line(s, dated=False) for s in fact.sources[:ANSWER_SOURCES]]
    more = len(fact.sources) - ANSWER_SOURCES
    if more > 0:
        shown.append(_("…and {count} more (All sources, below)").format(count=more))
    embed.add_field(name=_("Sources"), value=_lines_field(shown) or "—", inline=False)
    embed.set_footer(text=clip(f"{kind_label(fact.kind)} · {fact.id}", FOOTER_LIMIT))
    return fit(embed, budget)


# What a count counts (bot.facts.model.replies.plural), marked for translation; Korean and Japanese nouns
# do not change with the number, so one form is enough for the catalogs this bot ships.
COUNTED_NOUNS = (
    N_("nuclear tests"),
    N_("launch days"),
    N_("missiles"),
    N_("UN resolutions"),
    N_("vetoed or failed drafts"),
    N_("sanctions measures"),
    N_("meetings"),
    N_("rounds"),
    N_("facts"),
)
OUTCOME_ADJECTIVES = {"failure": N_("failed"), "success": N_("successful")}


def count_title(answer: Answer) -> str:
    """A count's first line: the model's English lead ("34 ICBM launch days in 2022"), or in another
    language the number and what was counted, then what it was narrowed to."""
    assert answer.count is not None
    if language_of(current_locale()) is None:
        return answer.lead
    scope = answer.scope
    parts = [_(OUTCOME_ADJECTIVES[scope.outcome])] if scope.outcome in OUTCOME_ADJECTIVES else []
    parts += scope.named
    if scope.issuer:
        parts.append(_(ISSUER_NAMES.get(scope.issuer, scope.issuer)))
    if scope.months:
        years = scope.years or (None,)
        parts += [month_or_year(year, month) for year in years for month in scope.months]
    else:
        parts += [month_or_year(year) for year in scope.years]
    if scope.narrowed:
        parts.append(_("as the question narrows it"))
    title = _("{count} {noun}").format(count=f"{answer.count:,}", noun=_(answer.noun))
    return f"{title} ({', '.join(parts)})" if parts else title


def count_card(answer: Answer, *, shown: int = 10) -> discord.Embed:
    """A counting answer: the number in the first line, then the facts it counted, newest first."""
    counted = answer.facts  # the newest of them: a count at scale builds only what it lists
    lines = [f"{ref_line(fact)}" for fact in counted[:shown]]
    # The launch days a count of missiles is over are those listed; any other count counts its facts.
    total = len(counted) if answer.noun == "missiles" else max(answer.count or 0, len(counted))
    if total > shown:
        lines.append(
            _("…and {count} more: open them with the menu below.").format(count=f"{total - shown:,}")
        )
    embed = discord.Embed(
        title=clip(count_title(answer), TITLE_LIMIT),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=list_colour(counted),
    )
    embed.set_footer(text=_("Counted from the typed record (dates and figures), not from text."))
    return fit(embed)


def sources_embed(fact: Fact) -> discord.Embed:
    """Every source of a fact, with its publisher and date."""
    embed = discord.Embed(
        title=clip(
            ngettext("{count} source: {title}", "All {count} sources: {title}", len(fact.sources)).format(
                count=len(fact.sources), title=fact.title
            ),
            TITLE_LIMIT,
        ),
        description=clip(
            "\n".join(f"{i}. {source_line(s)}" for i, s in enumerate(fact.sources, 1)), DESCRIPTION_LIMIT
        ),
        colour=CATEGORY_COLOURS[fact.category],
    )
    return fit(embed)


def fact_option(fact: Fact | FactRef, description: str = "") -> discord.SelectOption:
    """A fact as a choice in a select menu (Discord: 100 characters per label and description).

    Shared by every menu that offers the same fact (an answer's menus offer up to 25): never modify it."""
    return _option(fact.id, fact.title, fact.date, description)


@functools.lru_cache(maxsize=8192)
def _option(fact_id: str, title: str, date: FactDate, description: str) -> discord.SelectOption:
    return discord.SelectOption(
        label=clip(title, 100), value=fact_id, description=clip(description or date.display(), 100)
    )


def chain_embed(root: Fact, steps: Sequence[FactRef]) -> discord.Embed:
    """Cause and effect as one compact sequence: the event, then what answered it, in date order."""
    lines = [f"**{root.date_text}** · {plain(root.title)}"]
    lines += [f"↳ {ref.date.display()} · {plain(ref.title)} ({kind_label(ref.kind)})" for ref in steps]
    if not steps:
        lines.append(_("Nothing in the record is linked as answering it yet."))
    embed = discord.Embed(
        title=clip(_("What followed: {title}").format(title=root.title), TITLE_LIMIT),
        description=_lines_field(lines, DESCRIPTION_LIMIT),
        colour=CATEGORY_COLOURS[root.category],
    )
    embed.set_footer(
        text=_("Open any step with the menu below. Links come from the record (responds to, related).")
    )
    return fit(embed)


def on_this_day_embed(day_text: str, facts: Sequence[Fact], *, nearby: bool = False) -> discord.Embed:
    """What happened on a day of the year in past years, newest first."""
    lines = [
        f"**{fact.date.year}** · {plain(fact.title)}\n{plain(clip(fact.summary, 160))}" for fact in facts
    ]
    title = (
        _("On this day: {day}").format(day=day_text)
        if not nearby
        else _("Nothing on {day}; the nearest days").format(day=day_text)
    )
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip("\n\n".join(lines) or _("Nothing in the record."), DESCRIPTION_LIMIT),
        colour=list_colour(facts),
    )
    return fit(embed)
