"""/factmod (moderators) and /settings (Manage Server): keeping the record current from Discord."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import InvalidInput, NotFound
from bot.facts import render
from bot.facts.model.fact import FactDate
from bot.facts.model.interchange import ImportFileError, export_facts, format_from_name
from bot.kit.checks import GuardedGroup, ensure_manage_guild, ensure_moderator
from bot.kit.options import KIND_CHOICES, AnyFactOption, CategoryOption, FactOption
from bot.kit.paginator import Page, Paginator
from bot.kit.persistent import FeatureCog
from bot.moderation.audit import ACTION_VERBS, changes_text, discord_time
from bot.moderation.model.drafts import Draft, draft_like, figures_template
from bot.moderation.model.links import LINK_WORDS, LinkKind, relinked
from bot.moderation.model.revisions import describe_changes
from bot.moderation.model.wording import TEXT_FORM
from bot.moderation.queue_ui import (
    ImportButton,
    QuestionCorrectButton,
    QuestionReviewButton,
    SuggestionButton,
    import_summary,
)
from bot.moderation.ui import DraftButton, announce_change, draft_form, editor_of, start_edit
from bot.watchers.ui import leads_message

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)

REVISIONS_PER_PAGE = 4
SUGGESTIONS_PER_PAGE = 4
REVIEWS_PER_MESSAGE = 5
STALE_PER_PAGE = 10
MAX_IMPORT_ATTACHMENT = 5 * 1024 * 1024
MANAGE_GUILD = discord.Permissions(manage_guild=True)


class ModerationCog(FeatureCog):
    """Fact moderation. Facts are shared by every server, so every change is attributed and reversible."""

    persistent_items = (
        DraftButton,
        SuggestionButton,
        ImportButton,
        QuestionReviewButton,
        QuestionCorrectButton,
    )
    bot: DPRKWatch

    factmod = GuardedGroup(
        guard=ensure_moderator,
        name="factmod",
        description="Moderators: add, correct, retire and revert facts",
        default_permissions=MANAGE_GUILD,
        guild_only=True,
    )

    @factmod.command(name="add", description="Add a new fact: the forms ask what its kind needs")
    @app_commands.describe(
        kind="What kind of fact (the forms ask for this kind's figures)",
        like="A similar fact to start from (its figures, sources' publishers and tags)",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction[DPRKWatch],
        kind: app_commands.Choice[str],
        like: FactOption | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        if like is not None:
            draft = draft_like(kind.value, like)
        else:
            draft = Draft(kind=kind.value, figures=figures_template(kind.value))
        draft_id = await self.bot.moderation_store.save_draft(
            guild_id=interaction.guild_id, user_id=interaction.user.id, draft=draft, base_revision=None
        )
        form = await draft_form(self.bot, TEXT_FORM, draft_id, draft, adding=True)
        await interaction.response.send_modal(form)

    @factmod.command(name="edit", description="Correct a fact (a form opens with its current text)")
    @app_commands.describe(fact="The fact to edit")
    async def edit(self, interaction: discord.Interaction[DPRKWatch], fact: AnyFactOption) -> None:
        await start_edit(interaction, fact.id)

    @factmod.command(name="link", description="Link a fact to another by name: related, or in response to")
    @app_commands.describe(
        fact="The fact to change",
        to="The fact it links to",
        how="Related (the default), or in response to (a test a resolution answered, say)",
        remove="Take the link away instead of adding it",
        reason="Why (shown in history and the audit channel)",
    )
    @app_commands.choices(
        how=[app_commands.Choice(name=words, value=kind.value) for kind, words in LINK_WORDS.items()]
    )
    async def link(
        self,
        interaction: discord.Interaction[DPRKWatch],
        fact: AnyFactOption,
        to: AnyFactOption,
        how: str = LinkKind.RELATED.value,
        remove: bool = False,
        reason: app_commands.Range[str, 0, 300] = "",
    ) -> None:
        changed = relinked(fact, to, LinkKind(how), remove=remove)
        change = await self.bot.fact_edit_store.edit_fact(
            changed, base_revision=fact.revision, editor=editor_of(interaction), reason=reason
        )
        await announce_change(interaction, change, "Link removed" if remove else "Linked")

    @factmod.command(name="retire", description="Hide a fact from lookups and the quiz (kept in history)")
    @app_commands.describe(fact="The fact to retire", reason="Why (shown in history and the audit channel)")
    async def retire(
        self,
        interaction: discord.Interaction[DPRKWatch],
        fact: AnyFactOption,
        reason: app_commands.Range[str, 3, 300],
    ) -> None:
        change = await self.bot.fact_edit_store.retire_fact(
            fact.id, editor=editor_of(interaction), reason=reason
        )
        await announce_change(interaction, change, "Retired")

    @factmod.command(name="restore", description="Bring a retired fact back")
    @app_commands.describe(fact="The retired fact")
    async def restore(self, interaction: discord.Interaction[DPRKWatch], fact: AnyFactOption) -> None:
        change = await self.bot.fact_edit_store.restore_fact(fact.id, editor=editor_of(interaction))
        await announce_change(interaction, change, "Restored")

    @factmod.command(name="history", description="Who changed a fact, when, why, and what changed")
    @app_commands.describe(fact="The fact")
    async def history(self, interaction: discord.Interaction[DPRKWatch], fact: AnyFactOption) -> None:
        revisions = await self.bot.fact_edit_store.revisions(fact.id)
        if not revisions:
            raise NotFound(f"`{fact.id}` has no history yet.")
        pages = -(-len(revisions) // REVISIONS_PER_PAGE)

        async def source(index: int) -> Page:
            embed = discord.Embed(
                title=render.clip(f"History of {fact.title}", 256),
                description=f"`{fact.id}` · {fact.kind_label} · {fact.date_text}",
            )
            chunk = revisions[index * REVISIONS_PER_PAGE : (index + 1) * REVISIONS_PER_PAGE]
            for revision in chunk:
                older = next((r for r in revisions if r.revision < revision.revision), None)
                diff = describe_changes(older.snapshot if older else None, revision.snapshot)
                who = f"<@{revision.editor_id}>" if revision.editor_id else render.plain(revision.editor_name)
                why = f"\nWhy: {render.plain(render.clip(revision.reason, 120))}" if revision.reason else ""
                body = f"{who} · {discord_time(revision.created_at)}{why}\n{changes_text(diff)}"
                embed.add_field(
                    name=f"Revision {revision.revision} · {ACTION_VERBS.get(revision.action, revision.action)}",
                    value=render.clip(body, 1000),
                    inline=False,
                )
            embed.set_footer(text=f"{len(revisions)} revisions · restore one with /factmod revert")
            return Page(render.fit(embed), pages)

        await Paginator.start(interaction, source, ephemeral=True)

    @factmod.command(name="revert", description="Restore a fact exactly as it was at an earlier revision")
    @app_commands.describe(fact="The fact", revision="The revision number to restore (see /factmod history)")
    async def revert(
        self,
        interaction: discord.Interaction[DPRKWatch],
        fact: AnyFactOption,
        revision: app_commands.Range[int, 1, 1_000_000],
    ) -> None:
        change = await self.bot.fact_edit_store.revert_fact(fact.id, revision, editor=editor_of(interaction))
        await announce_change(interaction, change, f"Reverted to revision {revision}")

    @factmod.command(
        name="import", description="Import facts from a JSON or CSV export file (all or nothing)"
    )
    @app_commands.describe(file="A .json or .csv file in the export format")
    async def import_(self, interaction: discord.Interaction[DPRKWatch], file: discord.Attachment) -> None:
        if file.size > MAX_IMPORT_ATTACHMENT:
            raise InvalidInput(f"The file is {file.size / 1_048_576:.1f} MB; imports are limited to 5 MB.")
        try:
            file_format = format_from_name(file.filename)
        except ImportFileError as error:
            raise InvalidInput(str(error)) from None
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        try:
            report = await self.bot.fact_service.import_file(
                data,
                file_format,
                editor_id=interaction.user.id,
                editor_name=str(interaction.user),
                dry_run=True,
            )
        except ImportFileError as error:
            raise InvalidInput(f"`{render.plain(file.filename)}` cannot be imported: {error}.") from None
        summary = import_summary(report, file.filename)
        if report.rejected or not (report.added or report.changed):
            await interaction.followup.send(embed=summary, ephemeral=True)
            return
        assert interaction.guild_id is not None
        import_id = await self.bot.moderation_store.save_pending_import(
            guild_id=interaction.guild_id,
            user_id=interaction.user.id,
            filename=file.filename,
            file_format=file_format,
            data=data,
        )
        view = discord.ui.View(timeout=None)
        view.add_item(ImportButton(import_id, "confirm"))
        view.add_item(ImportButton(import_id, "cancel"))
        await interaction.followup.send(
            content="Dry run: press **Confirm** to apply.", embed=summary, view=view, ephemeral=True
        )

    @factmod.command(name="export", description="Export facts as a file (the format import accepts)")
    @app_commands.describe(category="Only one category", file_format="json (default) or csv")
    @app_commands.choices(
        file_format=[
            app_commands.Choice(name="JSON", value="json"),
            app_commands.Choice(name="CSV", value="csv"),
        ],
    )
    @app_commands.rename(file_format="format")
    async def export(
        self,
        interaction: discord.Interaction[DPRKWatch],
        category: CategoryOption | None = None,
        file_format: app_commands.Choice[str] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        chosen = category
        extension = file_format.value if file_format else "json"
        facts = await self.bot.fact_store.all_facts(chosen)
        text = export_facts(facts, extension)
        name = f"dprk-watch-{chosen.value if chosen else 'facts'}.{extension}"
        await interaction.followup.send(
            f"{len(facts):,} facts.",
            file=discord.File(io.BytesIO(text.encode()), filename=name),
            ephemeral=True,
        )

    @factmod.command(name="stale", description="Facts not checked against their sources for a while")
    @app_commands.describe(months="Checked more than this many months ago (default 12)")
    async def stale(
        self, interaction: discord.Interaction[DPRKWatch], months: app_commands.Range[int, 1, 120] = 12
    ) -> None:
        today = self.bot.clock.now().date()
        cutoff = months_before(today.year, today.month, months)
        facts = await self.bot.fact_store.unchecked_since(cutoff.iso())
        if not facts:
            await interaction.response.send_message(
                f"Every fact was checked in the last {months} month(s) (since {cutoff.display()}).",
                ephemeral=True,
            )
            return
        pages = -(-len(facts) // STALE_PER_PAGE)

        async def source(index: int) -> Page:
            chunk = facts[index * STALE_PER_PAGE : (index + 1) * STALE_PER_PAGE]
            lines = [
                f"**{index * STALE_PER_PAGE + i}. {render.plain(f.title)}** · `{f.id}`\n"
                f"Checked {f.checked.iso() if f.checked else 'never (not recorded)'}"
                for i, f in enumerate(chunk, start=1)
            ]
            embed = discord.Embed(
                title=f"Not checked for more than {months} month(s)",
                description=render.clip("\n".join(lines), render.DESCRIPTION_LIMIT),
            )
            embed.set_footer(
                text=f"{len(facts):,} facts, oldest check first · page {index + 1} of {pages} · "
                "editing a fact marks it checked"
            )
            return Page(render.fit(embed), pages)

        await Paginator.start(interaction, source, ephemeral=True)

    @factmod.command(name="suggestions", description="Corrections suggested by members, to accept or dismiss")
    @app_commands.describe(show="Open ones to handle (default), or those already accepted or dismissed")
    @app_commands.choices(
        show=[
            app_commands.Choice(name="Open", value="open"),
            app_commands.Choice(name="Accepted", value="accepted"),
            app_commands.Choice(name="Dismissed", value="dismissed"),
        ]
    )
    async def suggestions(
        self, interaction: discord.Interaction[DPRKWatch], show: app_commands.Choice[str] | None = None
    ) -> None:
        status = show.value if show else "open"
        if status == "open":
            suggestions, total = await self.bot.moderation_store.open_suggestions(limit=SUGGESTIONS_PER_PAGE)
        else:
            suggestions, total = await self.bot.moderation_store.handled_suggestions(
                status, limit=SUGGESTIONS_PER_PAGE
            )
        if total == 0:
            empty = (
                "No suggestions are waiting. 🎉" if status == "open" else f"No suggestion was {status} yet."
            )
            await interaction.response.send_message(empty, ephemeral=True)
            return
        embed = discord.Embed(title=f"Suggested corrections ({total} {status})")
        view = discord.ui.View(timeout=None)
        for suggestion in suggestions:
            fact = await self.bot.fact_store.get_fact(suggestion.fact_id, include_retired=True)
            name = f"#{suggestion.id} · {fact.title if fact else suggestion.fact_id}"
            value = f"<@{suggestion.user_id}>: {render.plain(suggestion.text)}"
            if suggestion.handled_at:
                value = (
                    f"{status.capitalize()} by <@{suggestion.handled_by}> "
                    f"{discord_time(suggestion.handled_at)}\n{value}"
                )
            embed.add_field(name=render.clip(name, 256), value=render.clip(value, 1024), inline=False)
            if status == "open":
                view.add_item(SuggestionButton(suggestion.id, "accept"))
                view.add_item(SuggestionButton(suggestion.id, "dismiss"))
        if total > len(suggestions):
            shown = "oldest" if status == "open" else "latest"
            embed.set_footer(text=f"Showing the {shown} {len(suggestions)} of {total}.")
        await interaction.response.send_message(embed=render.fit(embed), view=view, ephemeral=True)

    @factmod.command(
        name="leads", description="New items from the watched feeds, to draft as facts or dismiss"
    )
    async def leads(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        message = await leads_message(self.bot)
        await interaction.response.send_message(
            ephemeral=True, **{k: v for k, v in message.items() if v is not None and v != []}
        )

    @factmod.command(
        name="review-questions", description="Hand-written quiz questions held back by fact edits"
    )
    async def review_questions(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        handwritten = {q.id: q for q in await self.bot.question_bank.current_handwritten()}
        queue = await self.bot.quiz_store.review_queue({q.id: q.fact_id for q in handwritten.values()})
        if not queue:
            await interaction.response.send_message(
                "No quiz questions are waiting for review.", ephemeral=True
            )
            return
        embed = discord.Embed(
            title=f"Quiz questions held back ({len(queue)})",
            description="Their fact was edited since they were last checked. If a question is still right, "
            "put it back with Still correct; if not, Correct it: the corrected question goes back into the quiz.",
        )
        view = discord.ui.View(timeout=None)
        for row, item in enumerate(queue[:REVIEWS_PER_MESSAGE]):
            written = handwritten[item.question_id]
            fact = await self.bot.fact_store.get_fact(item.fact_id, include_retired=True)
            value = (
                f"Q: {render.plain(written.prompt)}\nA: **{render.plain(written.answer)}**\n"
                f"Fact now: {render.plain(fact.summary) if fact else '(missing)'}"
            )
            embed.add_field(
                name=render.clip(f"{item.question_id} · {item.fact_id} r{item.fact_revision}", 256),
                value=render.clip(value, 1024),
                inline=False,
            )
            # One row a question: its two buttons side by side.
            for button in (QuestionReviewButton, QuestionCorrectButton):
                item_button = button(item.question_id, item.fact_revision)
                item_button.row = row
                view.add_item(item_button)
        await interaction.response.send_message(embed=render.fit(embed), view=view, ephemeral=True)


def months_before(year: int, month: int, months: int) -> FactDate:
    """The month `months` before year-month: a fact checked before it was checked more than `months`
    months ago (in December 2026, 12 months before is December 2025; November 2025 is stale)."""
    index = year * 12 + (month - 1) - months
    return FactDate(index // 12, index % 12 + 1)


class SettingsCog(commands.Cog):
    """Per-server settings (Manage Server only)."""

    settings = app_commands.Group(
        name="settings",
        description="Server settings for DPRK Watch",
        default_permissions=MANAGE_GUILD,
        guild_only=True,
    )

    def __init__(self, bot: DPRKWatch) -> None:
        self.bot = bot

    @settings.command(name="moderator-role", description="Members with this role may edit facts")
    @app_commands.describe(role="The moderator role")
    async def moderator_role(self, interaction: discord.Interaction[DPRKWatch], role: discord.Role) -> None:
        ensure_manage_guild(interaction)
        assert interaction.guild_id is not None
        if role.is_default():
            raise InvalidInput(
                "@everyone cannot be the moderator role: pick a role that only moderators hold."
            )
        await self.bot.moderation_store.set_moderator_role(interaction.guild_id, role.id)
        home = self.bot.settings.home_guild_id
        if home is not None and home != interaction.guild_id:
            reach = "can now run the daily quiz here (/quizadmin); facts are edited in the bot's home server"
            listed = "/quizadmin"
        else:
            reach = "can now edit facts and run the daily quiz"
            listed = "/factmod and /quizadmin"
        await interaction.response.send_message(
            f"Members with {role.mention} {reach}. Discord lists {listed} only for members with Manage "
            "Server until you also allow the role in Server Settings → Integrations → DPRK Watch.",
            ephemeral=True,
        )

    @settings.command(
        name="audit-channel", description="Post every fact change and suggestion in this channel"
    )
    @app_commands.describe(channel="The audit channel")
    async def audit_channel(
        self, interaction: discord.Interaction[DPRKWatch], channel: discord.TextChannel
    ) -> None:
        ensure_manage_guild(interaction)
        assert interaction.guild_id is not None
        permissions = (
            channel.permissions_for(channel.guild.me) if channel.guild and channel.guild.me else None
        )
        if permissions is None or not (
            permissions.send_messages and permissions.embed_links and permissions.view_channel
        ):
            raise InvalidInput(
                f"I cannot post embeds in {channel.mention}. Give me View Channel, Send Messages and Embed Links "
                "there, then run this again."
            )
        await self.bot.moderation_store.set_audit_channel(interaction.guild_id, channel.id)
        await interaction.response.send_message(
            f"Fact changes will be posted in {channel.mention}.", ephemeral=True
        )


async def setup(bot: DPRKWatch) -> None:
    home = bot.settings.home_guild_id
    if home is not None:
        # Only the home server's moderators edit the shared record: register the commands there alone.
        await bot.add_cog(ModerationCog(bot), guild=discord.Object(home))
    else:
        await bot.add_cog(ModerationCog(bot))
    await bot.add_cog(SettingsCog(bot))
