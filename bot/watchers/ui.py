"""The moderators' queue of leads (/factmod leads) and its buttons: draft a fact from a lead, or dismiss it.

Buttons are DynamicItems with the lead id in `custom_id`; leads are in the database, so the queue keeps
working after a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.facts import render
from bot.kit.checks import ensure_moderator
from bot.kit.persistent import PersistentButton
from bot.moderation.model.drafts import Draft
from bot.moderation.ui import start_add
from bot.watchers.model import Feed, FeedState, Lead
from bot.watchers.poller import next_wait
from bot.watchers.store import LeadStore

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

LEADS_PER_MESSAGE = 5


async def leads_message(bot: DPRKWatch, *, note: str = "") -> dict[str, Any]:
    """The queue's oldest open leads, each with its two buttons, and how each watched feed is doing,
    as message keyword arguments."""
    store = LeadStore(bot.db)
    leads, total = await store.open_leads(limit=LEADS_PER_MESSAGE)
    feeds = bot.settings.watch_feeds
    if not feeds and total == 0:
        empty = "No feeds are watched: the operator lists them in the file named by WATCH_FILE."
        return {"content": f"{note}\n{empty}".strip(), "embeds": [], "view": None}
    embed = discord.Embed(
        title=f"Leads from the watched feeds ({total} open)",
        description=None
        if total
        else "No leads are waiting: every new item so far is in the record or was dismissed.",
    )
    view = discord.ui.View(timeout=None) if leads else None
    for lead in leads:
        embed.add_field(
            name=render.clip(f"#{lead.id} · {lead.title}", 256), value=_lead_text(lead), inline=False
        )
        assert view is not None
        view.add_item(LeadButton(lead.id, "draft"))
        view.add_item(LeadButton(lead.id, "dismiss"))
    if feeds:
        states = await store.feed_states()
        lines = [feed_status(feed, states.get(feed.name, FeedState(feed.name))) for feed in feeds]
        embed.add_field(name="Feeds", value=render.clip("\n".join(lines), 1024), inline=False)
    footer = "Nothing is published until a moderator saves a draft."
    if total > len(leads):
        footer = f"Showing the oldest {len(leads)} of {total}. " + footer
    embed.set_footer(text=footer)
    return {"content": note or None, "embeds": [render.fit(embed)], "view": view}


def feed_status(feed: Feed, state: FeedState) -> str:
    """One line: whether the feed's last fetch worked, when, and when a failing feed is tried next."""
    name = f"**{render.plain(feed.name)}**"
    if state.last_polled_at is None:
        return f"{name} · not fetched yet"
    polled = datetime.fromisoformat(state.last_polled_at)
    if not state.failures:
        return f"{name} · ✅ fetched {_when(polled)}"
    worked = (
        f"last worked {_when(datetime.fromisoformat(state.last_ok_at))}"
        if state.last_ok_at
        else "never worked"
    )
    retry = polled + timedelta(seconds=next_wait(feed, state.failures))
    return (
        f"{name} · ⚠️ {state.failures} failed fetch{'es' if state.failures > 1 else ''} in a row "
        f"({render.plain(render.clip(state.last_error, 120))}); {worked}; next try {_when(retry)}"
    )


def _when(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:R>"  # shown in each reader's own time zone


def _lead_text(lead: Lead) -> str:
    lines = [f"{lead.date} · {render.plain(lead.feed)} · {render.plain(lead.matched)}"]
    if lead.link:
        lines.append(lead.link)
    return render.clip("\n".join(lines), 1024)


class LeadButton(PersistentButton, custom_id="lead:{action:draft|dismiss}:{lead_id:int}"):
    """'Draft a fact' opens the add form pre-filled from the lead; 'Dismiss' takes it off the queue."""

    lead_id: int
    action: str

    def __init__(self, lead_id: int, action: str):
        label = f"Draft a fact (#{lead_id})" if action == "draft" else f"Dismiss #{lead_id}"
        style = discord.ButtonStyle.primary if action == "draft" else discord.ButtonStyle.secondary
        super().__init__(label=label, style=style, lead_id=lead_id, action=action)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        await ensure_moderator(interaction)
        bot = interaction.client
        store = LeadStore(bot.db)
        if self.action == "draft":
            lead = await store.get_lead(self.lead_id)
            await start_add(interaction, Draft.from_json(lead.draft_json))
            return
        lead = await store.dismiss(self.lead_id, user_id=interaction.user.id, now=bot.clock.now())
        message = await leads_message(bot, note=f"Dismissed #{lead.id}: {render.plain(lead.title)}.")
        await interaction.response.edit_message(**message)
