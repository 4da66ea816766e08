"""Discord pieces of fact moderation: the draft forms and their buttons, and announcing a change.

Buttons are DynamicItems with the draft id in `custom_id`, and drafts are in the database, so a
moderator's half-finished change survives a restart of the bot.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import discord

from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.facts import render
from bot.facts.model.fact import KIND_LABELS, InvalidFact, dangling_links, month_of
from bot.kit.checks import ensure_moderator
from bot.kit.error_path import GuardedModal
from bot.kit.persistent import PersistentButton
from bot.moderation.audit import change_embed, post_audit
from bot.moderation.model.drafts import Draft, draft_from_fact, draft_to_fact
from bot.moderation.store import Editor, FactChange

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

PROBLEMS_SHOWN = 15


def editor_of(interaction: discord.Interaction[Any]) -> Editor:
    return Editor(interaction.user.id, str(interaction.user))


async def respond(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
    """Update the message a component lives on, or reply privately to a command or modal."""
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **_for_new_message(kwargs))
    elif (
        _is_draft_message(interaction.message)
        and interaction.type is not discord.InteractionType.application_command
    ):
        await interaction.response.edit_message(**kwargs)
    else:
        # A form opened from another message (the suggestions queue) must not overwrite that message.
        await interaction.response.send_message(ephemeral=True, **_for_new_message(kwargs))


def _is_draft_message(message: discord.Message | None) -> bool:
    """A preview this module drew: its buttons are DraftButtons."""
    return message is not None and any(
        getattr(child, "custom_id", None) and str(child.custom_id).startswith("draft:")
        for row in message.components
        for child in getattr(row, "children", [])
    )


def _for_new_message(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A new message has nothing to clear: drop `view=None` and empty embeds."""
    return {
        k: v for k, v in kwargs.items() if not (k == "view" and v is None) and not (k == "embeds" and not v)
    }


# --- Draft forms ---------------------------------------------------------------------------------


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
    FormField(
        "dates",
        "Date: YYYY, YYYY-MM or YYYY-MM-DD",
        30,
        placeholder="2018-06-12, or a range: 2018-06-12 to 2018-06-13",
    ),
    FormField("summary", "Summary (one line)", 300, long=True),
    FormField("body", "Body", 3000, required=False, long=True),
)
ID_FIELD = FormField("fact_id", "Id (optional: made from kind and date)", 64, required=False)
REASON_FIELD = FormField("reason", "Reason for the change", 300, required=False)
# Discord's limit for one text input: a fact's sources can fill most of it (six sources run to 2,500).
FORM_TEXT_LIMIT = 4000
DETAIL_FIELDS = (
    FormField("figures", "Figures: one 'name: value' per line", FORM_TEXT_LIMIT, required=False, long=True),
    FormField(
        "sources",
        "Sources: URL | publisher | title | date",
        FORM_TEXT_LIMIT,
        long=True,
        placeholder="One a line. https://press.un.org/en/2017/sc13040.doc.htm | United Nations | SC/13040 | 2017-09-11",
    ),
    FormField("aliases", "Aliases (one per line)", FORM_TEXT_LIMIT, required=False, long=True),
    FormField("links", "Related fact ids (one per line)", 2000, required=False, long=True),
    FormField(
        "checked",
        "Checked against its sources (YYYY-MM)",
        10,
        required=False,
        placeholder="The month you last verified it, e.g. 2026-12",
    ),
)  # fmt: skip


class DraftForm(GuardedModal):
    """A form over some fields of a draft, pre-filled with what was typed so far."""

    def __init__(self, draft_id: int, draft: Draft, title: str, fields: tuple[FormField, ...]):
        super().__init__(title=render.clip(title, 45))
        self.draft_id, self.draft = draft_id, draft
        self.inputs: list[discord.ui.TextInput[DraftForm]] = []
        for field in fields:
            current = getattr(draft, field.name) or None
            if current is not None and len(current) > field.max_length:
                # Discord refuses a form whose text is longer than its input allows.
                raise InvalidInput(
                    f"This fact's {field.name} ({len(current):,} characters) do not fit in a Discord form "
                    f"({field.max_length:,}). Change them in a file: /factmod export, then /factmod import."
                )
            text_input: discord.ui.TextInput[DraftForm] = discord.ui.TextInput(
                label=field.label,
                custom_id=field.name,
                default=current,
                max_length=field.max_length,
                required=field.required,
                style=discord.TextStyle.long if field.long else discord.TextStyle.short,
                placeholder=field.placeholder,
            )
            self.inputs.append(text_input)
            self.add_item(text_input)

    async def on_submit(self, interaction: discord.Interaction[DPRKWatch]) -> None:  # type: ignore[override]
        await ensure_moderator(interaction)
        draft = self.draft.with_text(**{str(i.custom_id): i.value for i in self.inputs})
        await save_and_preview(interaction, self.draft_id, draft)


def text_form(draft_id: int, draft: Draft, *, adding: bool) -> DraftForm:
    """Title, dates, summary, body and the reason (or, for a new fact, its id)."""
    title = f"{'New' if adding else 'Edit'}: {KIND_LABELS[draft.kind]}"
    return DraftForm(draft_id, draft, title, (*TEXT_FIELDS, ID_FIELD if adding else REASON_FIELD))


def details_form(draft_id: int, draft: Draft) -> DraftForm:
    """Figures (`name: value` lines), sources (`URL | publisher | title | date` lines), aliases and
    related ids."""
    return DraftForm(draft_id, draft, f"Details: {KIND_LABELS[draft.kind]}", DETAIL_FIELDS)


def _default_id(draft: Draft) -> str:
    prefix = {"nuclear_test": "nuclear-test", "missile_launch": "launch", "satellite_launch": "launch"}.get(
        draft.kind, ""
    )
    date = draft.dates.split(" ")[0].strip()
    if prefix:
        return f"{prefix}-{date}"
    words = re.findall(r"[a-z0-9]+", draft.title.lower())[:6]
    return "-".join(words + ([date[:4]] if date[:4].isdigit() else []))[:64]


async def validate_draft(bot: DPRKWatch, draft: Draft) -> tuple[Any, list[str]]:
    """(fact, []) for a valid draft whose links resolve, else (None, problems). `checked` is what the
    moderator says (the details form shows it): an edit changes it only when they do. A new fact was
    just written from its sources, so without one it is checked this month."""
    if not draft.fact_id:
        draft = draft.with_text(fact_id=_default_id(draft))
    today = bot.clock.now().date()
    try:
        fact = draft_to_fact(draft, today=today)
    except InvalidFact as error:
        return None, error.problems
    problems = dangling_links([fact], await bot.fact_store.known_ids())
    if problems:
        return None, problems
    if fact.checked is None:
        fact = replace(fact, checked=month_of(today))
    return fact, []


async def save_and_preview(interaction: discord.Interaction[DPRKWatch], draft_id: int, draft: Draft) -> None:
    """Keep what was typed, then show the fact as it would be saved, or every problem with it."""
    stored = await interaction.client.moderation_store.get_draft(draft_id, interaction.user.id)
    await interaction.client.moderation_store.save_draft(
        guild_id=stored.guild_id,
        user_id=interaction.user.id,
        draft=draft,
        base_revision=stored.base_revision,
        draft_id=draft_id,
    )
    await show_preview(interaction, draft_id, draft)


async def show_preview(
    interaction: discord.Interaction[DPRKWatch], draft_id: int, draft: Draft, note: str = ""
) -> None:
    fact, problems = await validate_draft(interaction.client, draft)
    if fact is not None:
        embeds = [render.fact_card(fact, budget=5500)]
        content = (note + "\n" if note else "") + "Preview: press **Save** to publish this, or keep editing."
    else:
        listed = "\n".join(f"• {render.plain(p)}" for p in problems[:PROBLEMS_SHOWN])
        more = f"\n…and {len(problems) - PROBLEMS_SHOWN} more" if len(problems) > PROBLEMS_SHOWN else ""
        embeds = [
            discord.Embed(
                title="Not saved yet: please fix these",
                description=render.clip(listed + more, 4000),
                colour=discord.Colour.red(),
            )
        ]
        content = (
            note + "\n" if note else ""
        ) + "Everything you typed is kept: fix it with the buttons below."
    view = draft_view(draft_id, can_save=fact is not None)
    await respond(interaction, content=render.clip(content, 2000), embeds=embeds, view=view)


def draft_view(draft_id: int, *, can_save: bool) -> discord.ui.View:
    """The buttons under a draft preview. A refused draft offers "Fix and resubmit", which reopens the
    form with everything typed so far."""
    text_label = "Edit text" if can_save else "Fix and resubmit"
    view = discord.ui.View(timeout=None)
    buttons = (
        ("text", text_label, discord.ButtonStyle.primary if not can_save else discord.ButtonStyle.secondary),
        ("details", "Edit details", discord.ButtonStyle.secondary),
        ("save", "Save", discord.ButtonStyle.success),
        ("cancel", "Cancel", discord.ButtonStyle.danger),
    )
    for action, label, style in buttons:
        button = DraftButton(draft_id, action, label, style)
        button.item.disabled = action == "save" and not can_save
        view.add_item(button)
    return view


class DraftButton(PersistentButton, custom_id="draft:{action:text|details|save|cancel}:{draft_id:int}"):
    """Edit the text or details of a held draft, save it, or cancel it."""

    draft_id: int
    action: str

    def __init__(
        self,
        draft_id: int,
        action: str,
        label: str = "",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ):
        super().__init__(label=label or action, style=style, draft_id=draft_id, action=action)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        await ensure_moderator(interaction)
        bot = interaction.client
        stored = await bot.moderation_store.get_draft(self.draft_id, interaction.user.id)
        adding = stored.base_revision is None
        if self.action == "text":
            await interaction.response.send_modal(text_form(stored.id, stored.draft, adding=adding))
        elif self.action == "details":
            await interaction.response.send_modal(details_form(stored.id, stored.draft))
        elif self.action == "cancel":
            await bot.moderation_store.delete_draft(stored.id)
            await respond(interaction, content="Cancelled; nothing was changed.", embeds=[], view=None)
        else:
            await save_draft(interaction, stored.id, stored.draft, stored.base_revision)


async def save_draft(
    interaction: discord.Interaction[DPRKWatch], draft_id: int, draft: Draft, base_revision: int | None
) -> None:
    bot = interaction.client
    fact, _ = await validate_draft(bot, draft)
    if fact is None:
        await show_preview(interaction, draft_id, draft)
        return
    if base_revision is None:
        change = await bot.fact_edit_store.add_fact(fact, editor_of(interaction), draft.reason)
    else:
        change = await bot.fact_edit_store.edit_fact(
            fact, base_revision=base_revision, editor=editor_of(interaction), reason=draft.reason
        )
    await bot.moderation_store.delete_draft(draft_id)
    if draft.suggestion_id is not None:
        with contextlib.suppress(Conflict):  # another moderator handled it meanwhile: the edit stands
            await bot.moderation_store.close_suggestion(
                draft.suggestion_id, status="accepted", handled_by=interaction.user.id
            )
    await announce_change(interaction, change, "Saved")


async def announce_change(interaction: discord.Interaction[DPRKWatch], change: FactChange, verb: str) -> None:
    """Confirm to the moderator and post to the audit channel (reporting, never blocking, a failure)."""
    bot = interaction.client
    bot.fact_service.forget_cached_vocabulary()
    message = f"{verb}: `{change.fact.id}` is now at revision {change.revision.revision}."
    await respond(
        interaction, content=message, embeds=[render.fact_card(change.fact, budget=5500)], view=None
    )
    # After the answer: a slow or rate-limited audit channel must not cost Discord's 3 seconds.
    warning = await post_audit(
        bot, interaction.guild_id, change_embed(change, editor_mention=interaction.user.mention)
    )
    if warning:
        with contextlib.suppress(discord.HTTPException):  # the change is saved and announced already
            await interaction.followup.send(f"⚠️ {warning}", ephemeral=True)


async def start_edit(
    interaction: discord.Interaction[DPRKWatch],
    fact_id: str,
    reason: str = "",
    suggestion_id: int | None = None,
) -> None:
    """Open the text form pre-filled with the fact's current values, keeping a draft of it. An edit
    taken up from a member's suggestion accepts that suggestion when it is saved, not before."""
    fact = await interaction.client.fact_store.get_fact(fact_id, include_retired=True)
    if fact is None:
        raise NotFound(
            f"There is no fact with the id `{fact_id}`. Pick one from the suggestions as you type."
        )
    draft = replace(draft_from_fact(fact).with_text(reason=reason), suggestion_id=suggestion_id)
    assert interaction.guild_id is not None
    draft_id = await interaction.client.moderation_store.save_draft(
        guild_id=interaction.guild_id, user_id=interaction.user.id, draft=draft, base_revision=fact.revision
    )
    await interaction.response.send_modal(text_form(draft_id, draft, adding=False))
