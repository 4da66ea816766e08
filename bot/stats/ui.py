"""The /stats message (chart, embed, alt text) and the menu under it that switches category in place."""

from __future__ import annotations

import io
import weakref
from typing import TYPE_CHECKING

import discord

from bot.facts import render
from bot.i18n import N_, _, pgettext
from bot.kit.persistent import PersistentSelect
from bot.stats.model.series import CATEGORIES
from bot.stats.service import StatsPicture, StatsService

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

ALL = "all"
CHOICE_LABELS = {
    ALL: N_("All three, one time axis"),
    "tests": N_("Tests"),
    "sanctions": N_("Sanctions"),
    "talks": N_("Talks"),
}
FOOTERS = {
    "tests": N_(
        "Launch days are stacked by the longest-range class launched that day; dashed lines are nuclear tests."
    ),
    "sanctions": N_(
        "UN resolutions and unilateral measures; vetoed drafts and sanctions bodies are not counted."
    ),
    "talks": N_("Agreements, rounds of talks, summits, meetings and breakdowns."),
}
# The units of bot.stats.model.series.UNITS, as shown beside each total.
UNIT_LABELS = {"launch days": N_("launch days"), "measures": N_("measures"), "events": N_("events")}


FACILITIES_FILE = "facilities.toml"
_services: weakref.WeakKeyDictionary[DPRKWatch, StatsService] = weakref.WeakKeyDictionary()


def stats_service(bot: DPRKWatch) -> StatsService:
    """The bot's one StatsService (and so one picture cache), made on first use."""
    service = _services.get(bot)
    if service is None:
        facilities = bot.settings.dataset_dir / FACILITIES_FILE
        service = _services[bot] = StatsService(bot.fact_store, bot.clock, facilities)
    return service


class StatsCategorySelect(PersistentSelect, custom_id="stats:view:{from_year:int}:{to_year:int}"):
    """Redraws the chart above it for another category, keeping its years (0: the record's own)."""

    from_year: int
    to_year: int

    def __init__(self, from_year: int = 0, to_year: int = 0, current: str = ALL) -> None:
        options = [
            discord.SelectOption(label=_(label), value=value, default=value == current)
            for value, label in CHOICE_LABELS.items()
        ]
        super().__init__(
            placeholder=_("Show another category"), options=options, from_year=from_year, to_year=to_year
        )

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        chosen = self.values[0] if self.values and self.values[0] in CHOICE_LABELS else ALL
        await interaction.response.defer()  # redrawing takes a moment; the message is edited in place
        embed, file, view = await stats_message(
            interaction.client,
            None if chosen == ALL else chosen,
            self.from_year or None,
            self.to_year or None,
        )
        await interaction.edit_original_response(embed=embed, attachments=[file], view=view)


def stats_embed(picture: StatsPicture, category: str | None) -> discord.Embed:
    counted = picture.series
    title = _("Statistics {span}").format(span=counted.span)
    embed = discord.Embed(title=title + (f" · {pgettext('choice', category)}" if category else ""))
    lines = []
    for panel in counted.panels:
        groups = ", ".join(f"{g} {panel.total(g)}" for g in panel.groups)
        lines.append(
            f"**{_(CHOICE_LABELS[panel.category])}**: **{panel.total():,}** {_(UNIT_LABELS.get(panel.unit, panel.unit))}"
            + (f" ({groups})" if groups else "")
        )
    if counted.nuclear_tests:
        tests = ", ".join(m.label for m in counted.nuclear_tests)
        lines.append(
            _("Nuclear tests: **{count}** ({tests})").format(count=len(counted.nuclear_tests), tests=tests)
        )
    if counted.resolutions:
        lines.append(_("UN Security Council resolutions: **{count}**").format(count=len(counted.resolutions)))
    if counted.partial is not None:
        running = _("{period} is still running: its count is partial.")
        lines.append("*" + running.format(period=counted.bucket_label(counted.partial)) + "*")
    if counted.undated:
        undated = _("{count} known only to the year are not drawn by month.")
        lines.append("*" + undated.format(count=counted.undated) + "*")
    embed.description = "\n".join(lines)
    embed.set_image(url="attachment://stats.png")
    embed.set_footer(text=" ".join(_(FOOTERS[c]) for c in CATEGORIES if (category or c) == c))
    return render.fit(embed)


async def stats_message(
    bot: DPRKWatch, category: str | None, from_year: int | None, to_year: int | None
) -> tuple[discord.Embed, discord.File, discord.ui.View]:
    """The chart as an attachment with its alt text, the embed around it and the category menu."""
    picture = await stats_service(bot).stats(category, from_year, to_year)
    file = discord.File(io.BytesIO(picture.png), "stats.png", description=picture.alt)
    view = discord.ui.View(timeout=None)
    view.add_item(StatsCategorySelect(from_year or 0, to_year or 0, category or ALL))
    return stats_embed(picture, category), file, view
