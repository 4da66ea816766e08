"""The button under an alert: the full fact card, privately, for whoever clicks (persistent: the
fact id is in its custom_id, registered by the lookup cog)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.alerts.model import ChangeKind, FactEvent
from bot.facts.ui import OpenFactButton


def alert_view(events: Sequence[FactEvent]) -> discord.ui.View:
    """A "Full details" button under a single alert of a fact still in the record; nothing under a digest."""
    view = discord.ui.View(timeout=None)
    if len(events) == 1 and events[0].change is not ChangeKind.RETIRED:
        view.add_item(OpenFactButton(events[0].fact_id, "Full details"))
    return view
