"""Alerts as Discord messages: one change as a short card, a seed's or an import's many as a digest.

Every alert carries its delivery id in the footer, so after a crash between sending and recording the
poster can find the message it already sent instead of sending it twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.alerts.model import ChangeKind, FactEvent
from bot.facts.model.fact import KIND_CATEGORY
from bot.facts.render import (
    CATEGORY_COLOURS,
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    NEUTRAL_COLOUR,
    TITLE_LIMIT,
    clip,
    fit,
    plain,
)

FOOTER_MARKER = "DPRK Watch alert #{delivery_id}"
HEADINGS = {ChangeKind.ADDED: "New", ChangeKind.CORRECTED: "Corrected", ChangeKind.RETIRED: "Retired"}
DIGEST_LINES = 40


def footer_marker(delivery_id: int) -> str:
    return FOOTER_MARKER.format(delivery_id=delivery_id)


def _colour(events: Sequence[FactEvent]) -> discord.Colour:
    categories = {KIND_CATEGORY.get(e.kind) for e in events}
    if len(categories) == 1 and (category := categories.pop()) is not None:
        return CATEGORY_COLOURS[category]
    return NEUTRAL_COLOUR


def alert_embed(event: FactEvent, delivery_id: int) -> discord.Embed:
    """One change of one fact: added (with its summary), corrected (what changed, before and after),
    or retired (with the reason)."""
    embed = discord.Embed(
        title=clip(f"{HEADINGS[event.change]}: {event.title}", TITLE_LIMIT), colour=_colour([event])
    )
    if event.change is ChangeKind.ADDED:
        embed.description = clip(plain(str(event.content.get("summary", ""))), DESCRIPTION_LIMIT)
    elif event.change is ChangeKind.CORRECTED:
        lines = [
            f"**{plain(c.what)}**: ~~{plain(c.before)}~~ → {plain(c.after)}" for c in event.corrections()
        ]
        embed.description = clip("\n".join(lines) or "Details corrected.", DESCRIPTION_LIMIT)
    else:
        reason = str(event.content.get("retired_reason") or event.reason)
        embed.description = clip(
            "Taken out of the record" + (f": {plain(reason)}" if reason else "."), DESCRIPTION_LIMIT
        )
    embed.add_field(name="Date", value=clip(plain(event.date_text), FIELD_VALUE_LIMIT), inline=True)
    embed.add_field(name="Kind", value=event.kind_label, inline=True)
    if event.change is ChangeKind.CORRECTED and event.reason:
        embed.add_field(name="Why", value=clip(plain(event.reason), FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text=f"{footer_marker(delivery_id)} · {event.fact_id}")
    return fit(embed)


def digest_embed(events: Sequence[FactEvent], delivery_id: int) -> discord.Embed:
    """Many changes that arrived together (a dataset seed, an import), one line each."""
    source = "the dataset" if events[0].action == "seed" else "an import"
    counts = {kind: sum(e.change is kind for e in events) for kind in ChangeKind}
    summary = ", ".join(f"{n} {kind.value}" for kind, n in counts.items() if n)
    lines = [
        f"**{HEADINGS[e.change]}** · {plain(e.title)} ({plain(e.date_text)})" for e in events[:DIGEST_LINES]
    ]
    if len(events) > DIGEST_LINES:
        lines.append(f"…and {len(events) - DIGEST_LINES} more (see /timeline)")
    embed = discord.Embed(
        title=clip(f"{len(events)} changes to the record from {source}", TITLE_LIMIT),
        description=clip(f"{summary}.\n\n" + "\n".join(lines), DESCRIPTION_LIMIT),
        colour=_colour(events),
    )
    embed.set_footer(text=footer_marker(delivery_id))
    return fit(embed)


def alert_message(events: Sequence[FactEvent], delivery_id: int) -> discord.Embed:
    """The embed for a delivery: a card for one change, a digest for several."""
    return alert_embed(events[0], delivery_id) if len(events) == 1 else digest_embed(events, delivery_id)


def thread_name(events: Sequence[FactEvent]) -> str:
    """A thread's name (Discord allows 100 characters)."""
    if len(events) == 1:
        return clip(f"{HEADINGS[events[0].change]}: {events[0].title}", 100)
    return f"{len(events)} changes to the record"
