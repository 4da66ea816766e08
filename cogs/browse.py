"""Paginated listings: /tests, /sanctions, /talks and /timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import InvalidInput, NotFound
from bot.facts import render
from bot.facts.model.days import day_key, day_text, nearby_days, parse_day
from bot.facts.model.fact import Category, FactDate
from bot.facts.store import FactFilter
from bot.facts.ui import FactPicker
from bot.i18n import N_, _, ngettext, pgettext
from bot.kit.options import CategoryOption, FactOption
from bot.kit.paginator import Page, Paginator

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

PAGE_SIZE = 6
SELECT_OPTIONS = 25  # Discord's limit for a select menu
# Dates in the record are Korean calendar dates: "today" is today in Korea.
KOREA = ZoneInfo("Asia/Seoul")
YEAR = app_commands.Range[int, 1900, 2100]

TEST_KINDS = {
    "nuclear": ("nuclear_test",),
    "missile": ("missile_launch",),
    "satellite": ("satellite_launch",),
}
TALK_KINDS = {k: (k,) for k in ("agreement", "multilateral", "summit", "bilateral")}
ISSUER_LABELS = {"un": N_("UN Security Council"), **render.ISSUER_NAMES}
# Listing titles by the kind chosen.
TEST_TITLES = {
    "nuclear": N_("Nuclear tests"),
    "missile": N_("Missile tests"),
    "satellite": N_("Satellite tests"),
    "all": N_("All tests"),
}


def _choices(labels: dict[str, str]) -> list[app_commands.Choice[str]]:
    """Choices from {value: label}; members see the label in their language (bot.i18n.translator)."""
    return [app_commands.Choice(name=label, value=value) for value, label in labels.items()]


def _chosen(choice: app_commands.Choice[str]) -> str:
    """A choice's label in the member's language: Discord sends the value and discord.py rebuilds the
    choice with its English name, which the catalogs translate as the translator did at sync."""
    return pgettext("choice", choice.name)


def _in_year(title: str, year: int | None) -> str:
    return _("{title} in {year}").format(title=title, year=year) if year else title


def parse_bound(text: str | None, option: str) -> FactDate | None:
    """A timeline bound: `YYYY` or `YYYY-MM-DD` (a month `YYYY-MM` works too)."""
    if text is None or not text.strip():
        return None
    try:
        return FactDate.parse(text)
    except ValueError as error:
        raise InvalidInput(
            _("`{option}`: {error}. Write a year like `2017` or a day like `2017-09-03`.").format(
                option=option, error=error
            )
        ) from None


class BrowseCog(commands.Cog):
    """Listings that page through the store in date order."""

    def __init__(self, bot: DPRKWatch) -> None:
        self.bot = bot

    async def _check_year(self, year: int | None) -> None:
        if year is None:
            return
        span = await self.bot.fact_store.date_range()
        if span and not span[0].year <= year <= span[1].year:
            raise InvalidInput(
                _("The record covers {first} to {last}; try a year in that range.").format(
                    first=span[0].year, last=span[1].year
                )
            )

    async def _send_listing(
        self, interaction: discord.Interaction[DPRKWatch], title: str, filters: FactFilter, empty: str
    ) -> None:
        store = self.bot.fact_store

        async def source(index: int) -> Page:
            page = await store.list_facts(filters, offset=index * PAGE_SIZE, limit=PAGE_SIZE)
            pages = -(-page.total // PAGE_SIZE)
            footer = " · ".join(
                (
                    ngettext("{count} fact", "{count} facts", page.total).format(count=f"{page.total:,}"),
                    _("page {page} of {pages}").format(page=index + 1, pages=max(pages, 1)),
                    _("open one with /fact"),
                )
            )
            return Page(
                render.compact_list(title, page.facts, start=index * PAGE_SIZE + 1, footer=footer), pages
            )

        first = await source(0)
        if first.total_pages == 0:
            raise NotFound(empty)
        await Paginator.start(interaction, source, first=first)

    @app_commands.command(
        name="tests", description="Nuclear tests, missile and satellite launches, newest first"
    )
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        kind="Which tests", year="Only this year", system="A missile system, e.g. Hwasong-15"
    )
    @app_commands.choices(
        kind=_choices(
            {
                "nuclear": "Nuclear",
                "missile": "Missile",
                "satellite": "Satellite",
                "all": "All",
            }
        )
    )
    async def tests(
        self,
        interaction: discord.Interaction[DPRKWatch],
        kind: app_commands.Choice[str] | None = None,
        year: YEAR | None = None,
        system: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        await self._check_year(year)
        kinds = TEST_KINDS.get(kind.value, ()) if kind else ()
        title = _in_year(_(TEST_TITLES[kind.value if kind else "all"]), year) + (
            f" · {system}" if system else ""
        )
        filters = FactFilter(
            category=Category.TESTS,
            kinds=kinds,
            start=str(year) if year else None,
            end=str(year) if year else None,
            system=system,
            newest_first=True,
        )
        await self._send_listing(
            interaction, title, filters, _("No tests match those filters. Try removing one.")
        )

    @app_commands.command(name="sanctions", description="UN and unilateral sanctions, newest first")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(by="Who imposed them", year="Only this year")
    @app_commands.choices(by=_choices({**ISSUER_LABELS, "all": "All"}))
    async def sanctions(
        self,
        interaction: discord.Interaction[DPRKWatch],
        by: app_commands.Choice[str] | None = None,
        year: YEAR | None = None,
    ) -> None:
        await self._check_year(year)
        who = by.value if by else "all"
        kinds: tuple[str, ...] = ("un_resolution", "un_draft", "un_body") if who == "un" else ()
        issuer = who if who not in ("un", "all") else None
        who_label = _(ISSUER_LABELS[who]) if who in ISSUER_LABELS else _("all")
        title = _in_year(_("Sanctions: {who}").format(who=who_label), year)
        filters = FactFilter(
            category=Category.SANCTIONS,
            kinds=kinds,
            issuer=issuer,
            start=str(year) if year else None,
            end=str(year) if year else None,
            newest_first=True,
        )
        await self._send_listing(
            interaction, title, filters, _("No sanctions match those filters. Try removing one.")
        )

    @app_commands.command(name="talks", description="Agreements, talks and summits, newest first")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(kind="Which kind of talks", year="Only this year")
    @app_commands.choices(
        kind=_choices(
            {
                "agreement": "Agreement",
                "multilateral": "Multilateral",
                "summit": "Summit",
                "bilateral": "Bilateral",
                "all": "All",
            }
        )
    )
    async def talks(
        self,
        interaction: discord.Interaction[DPRKWatch],
        kind: app_commands.Choice[str] | None = None,
        year: YEAR | None = None,
    ) -> None:
        await self._check_year(year)
        kinds = TALK_KINDS.get(kind.value, ()) if kind else ()
        title = _in_year(
            _("Talks: {kind}").format(kind=_chosen(kind) if kind else pgettext("choice", "All")), year
        )
        filters = FactFilter(
            category=Category.TALKS,
            kinds=kinds,
            start=str(year) if year else None,
            end=str(year) if year else None,
            newest_first=True,
        )
        await self._send_listing(
            interaction, title, filters, _("No talks match those filters. Try removing one.")
        )

    @app_commands.command(name="timeline", description="Tests, sanctions and talks in date order")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        start="From: a year (2016) or a day (2016-01-06)",
        end="To: a year or a day",
        category="Only one category",
    )
    async def timeline(
        self,
        interaction: discord.Interaction[DPRKWatch],
        start: app_commands.Range[str, 1, 10] | None = None,
        end: app_commands.Range[str, 1, 10] | None = None,
        category: CategoryOption | None = None,
    ) -> None:
        start_date, end_date = parse_bound(start, "start"), parse_bound(end, "end")
        if start_date and end_date and end_date.iso() < start_date.iso()[: len(end_date.iso())]:
            raise InvalidInput(
                _("The range is reversed: `end` ({end}) is before `start` ({start}). Swap them.").format(
                    end=end_date.display(), start=start_date.display()
                )
            )
        chosen = category
        span = " – ".join(d.display() for d in (start_date, end_date) if d) or _("all years")
        what = render.category_label(chosen) if chosen else _("everything")
        title = _("Timeline: {what} · {span}").format(what=what, span=span)
        filters = FactFilter(
            category=chosen,
            start=start_date.iso() if start_date else None,
            end=end_date.iso() if end_date else None,
        )
        await self._send_listing(interaction, title, filters, _("Nothing in the record falls in that range."))

    @app_commands.command(
        name="chain", description="A test and what answered it: resolutions, measures, talks"
    )
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(fact="A test, a resolution or a measure: the chain is built around it")
    async def chain(self, interaction: discord.Interaction[DPRKWatch], fact: FactOption) -> None:
        root, steps = await self.bot.fact_service.chain(fact)
        view = discord.ui.View(timeout=None)
        options = [render.fact_option(root), *(render.fact_option(ref) for ref in steps)]
        view.add_item(FactPicker("chain", options[:SELECT_OPTIONS]))
        await interaction.response.send_message(embed=render.chain_embed(root, steps), view=view)

    @app_commands.command(name="onthisday", description="What happened on this day in past years")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(date="A day, e.g. 09-03 or 3 September (default: today in Korea)")
    async def onthisday(
        self, interaction: discord.Interaction[DPRKWatch], date: app_commands.Range[str, 1, 20] | None = None
    ) -> None:
        if date is None:
            today = self.bot.clock.now().astimezone(KOREA).date()
            month, day = today.month, today.day
        else:
            try:
                month, day = parse_day(date)
            except ValueError as error:
                raise InvalidInput(str(error)) from None
        facts = await self.bot.fact_store.facts_on_days([day_key(month, day)])
        nearby = not facts
        if nearby:
            facts = await self.bot.fact_store.facts_on_days(nearby_days(month, day))
        embed = render.on_this_day_embed(day_text(month, day), facts[: PAGE_SIZE * 2], nearby=nearby)
        view = discord.ui.View(timeout=None)
        if facts:
            view.add_item(FactPicker("day", [render.fact_option(f) for f in facts[:SELECT_OPTIONS]]))
        await interaction.response.send_message(embed=embed, view=view)


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(BrowseCog(bot))
