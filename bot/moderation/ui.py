"""Discord pieces of fact moderation: the draft forms and their buttons, and announcing a change.

Buttons are DynamicItems with the draft id in `custom_id`, and drafts are in the database, so a
moderator's half-finished change survives a restart of the bot.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord

from bot.core.errors import Conflict, NotFound
from bot.facts import render
from bot.facts.model.fact import Fact, InvalidFact, dangling_links, month_of
from bot.facts.store.records import FactFilter
from bot.kit.checks import ensure_moderator
from bot.kit.error_path import GuardedModal
from bot.kit.persistent import PersistentButton
from bot.moderation.audit import change_embed, post_audit
from bot.moderation.forms import FormField, check_fits, examples, form_fields, form_title
from bot.moderation.model.drafts import Draft, draft_from_fact, draft_to_fact
from bot.moderation.model.wording import (
    DETAILS_FORM,
    FORM_NAMES,
    LINKS_FORM,
    TEXT_FORM,
    Problem,
    explain_all,
    field_label,
)
from bot.moderation.notify import tell_suggester
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


class DraftForm(GuardedModal):
    """A form over some fields of a draft, pre-filled with what was typed so far."""

    def __init__(self, draft_id: int, draft: Draft, title: str, fields: tuple[FormField, ...]):
        super().__init__(title=render.clip(title, 45))
        check_fits(draft, fields)
        self.draft_id, self.draft = draft_id, draft
        self.inputs: list[discord.ui.TextInput[DraftForm]] = []
        for field in fields:
            text_input: discord.ui.TextInput[DraftForm] = discord.ui.TextInput(
                label=field.label,
                custom_id=field.name,
                default=getattr(draft, field.name) or None,
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


async def draft_form(bot: DPRKWatch, form: str, draft_id: int, draft: Draft, *, adding: bool) -> DraftForm:
    """One of the three forms, its placeholders taken from the newest fact of the draft's kind."""
    page = await bot.fact_store.list_facts(FactFilter(kinds=(draft.kind,), newest_first=True), limit=1)
    placeholders = examples(draft.kind, page.facts[0] if page.facts else None)
    fields = form_fields(form, adding=adding, placeholders=placeholders)
    return DraftForm(draft_id, draft, form_title(form, draft, adding=adding), fields)


def _default_id(draft: Draft) -> str:
    prefix = {"nuclear_test": "nuclear-test", "missile_launch": "launch", "satellite_launch": "launch"}.get(
        draft.kind, ""
    )
    date = draft.dates.split(" ")[0].strip()
    if prefix:
        return f"{prefix}-{date}"
    words = re.findall(r"[a-z0-9]+", draft.title.lower())[:6]
    return "-".join(words + ([date[:4]] if date[:4].isdigit() else []))[:64]


LINK_FIELDS = {"links": "related", "responds_to": "responds_to"}


async def resolve_links(bot: DPRKWatch, draft: Draft) -> tuple[Draft, list[Problem]]:
    """Links typed as ids or names, made ids (a name is looked up as autocomplete does). A name that
    matches no fact is kept as typed and named plainly."""
    known = await bot.fact_store.known_ids()
    problems: list[Problem] = []
    values: dict[str, str] = {}
    for name, field in LINK_FIELDS.items():
        resolved: list[str] = []
        for line in (line.strip() for line in getattr(draft, name).splitlines()):
            if not line:
                continue
            whole = await _fact_id(bot, known, line)
            items = [line] if whole else [item.strip() for item in line.split(",") if item.strip()]
            for item in items:
                fact_id = whole or await _fact_id(bot, known, item)
                if fact_id is None:
                    problems.append(Problem(f"{field_label(field)}: no fact is called {item!r}", LINKS_FORM))
                resolved.append(fact_id or item)
        values[name] = "\n".join(dict.fromkeys(resolved))
    return draft.with_text(**values), problems


async def _fact_id(bot: DPRKWatch, known: set[str], typed: str) -> str | None:
    if typed.lower() in known:
        return typed.lower()
    matches = await bot.fact_store.autocomplete(typed, limit=1)
    return matches[0].id if matches else None


async def validate_draft(bot: DPRKWatch, draft: Draft) -> tuple[Fact | None, list[Problem]]:
    """(fact, []) for a valid draft whose links resolve, else (None, problems in plain words, the text
    form's first). `checked` is what the moderator says (the details form shows it): an edit changes it
    only when they do. A new fact was just written from its sources, so without one it is checked this
    month."""
    if not draft.fact_id:
        draft = draft.with_text(fact_id=_default_id(draft))
    draft, link_problems = await resolve_links(bot, draft)
    today = bot.clock.now().date()
    try:
        fact = draft_to_fact(draft, today=today)
    except InvalidFact as error:
        return None, explain_all(draft.kind, error.problems) + link_problems
    raw = dangling_links([fact], await bot.fact_store.known_ids()) if not link_problems else []
    problems = explain_all(draft.kind, raw) + link_problems
    if problems:
        return None, problems
    if fact.checked is None:
        fact = replace(fact, checked=month_of(today))
    return fact, []


async def save_and_preview(interaction: discord.Interaction[DPRKWatch], draft_id: int, draft: Draft) -> None:
    """Keep what was typed (links made ids where they name a fact), then show the fact as it would be
    saved, or what is still needed."""
    stored = await interaction.client.moderation_store.get_draft(draft_id, interaction.user.id)
    draft, _ = await resolve_links(interaction.client, draft)
    await interaction.client.moderation_store.save_draft(
        guild_id=stored.guild_id,
        user_id=interaction.user.id,
        draft=draft,
        base_revision=stored.base_revision,
        draft_id=draft_id,
    )
    await show_preview(interaction, draft_id, draft)


def _listed(problems: list[Problem], *, grouped: bool) -> str:
    shown = problems[:PROBLEMS_SHOWN]
    lines: list[str] = []
    for form in FORM_NAMES:
        in_form = [p for p in shown if p.form == form]
        if in_form and grouped:
            lines.append(f"**{FORM_NAMES[form]}**")
        lines += [f"• {render.plain(p.text)}" for p in in_form]
    more = f"\n…and {len(problems) - PROBLEMS_SHOWN} more" if len(problems) > PROBLEMS_SHOWN else ""
    return render.clip("\n".join(lines) + more, 4000)


async def show_preview(
    interaction: discord.Interaction[DPRKWatch], draft_id: int, draft: Draft, note: str = ""
) -> None:
    """The card as it would be saved; or what is still needed, with the form that asks for it as the
    next step; or every problem, grouped by the form that holds it, with "Fix and resubmit" opening the
    form of the first."""
    fact, problems = await validate_draft(interaction.client, draft)
    lead = note + "\n" if note else ""
    if fact is not None:
        embeds = [render.fact_card(fact, budget=5500)]
        content = lead + "Preview: press **Save** to publish this, or keep editing."
        view = draft_view(draft_id, can_save=True)
    elif all(p.missing and p.form != TEXT_FORM for p in problems):
        form = problems[0].form
        embeds = [
            discord.Embed(
                title=f"Next: {FORM_NAMES[form].lower()}",
                description="Still needed:\n" + _listed(problems, grouped=False),
                colour=discord.Colour.blurple(),
            )
        ]
        label = "Add details" if form == DETAILS_FORM else "Add links and notes"
        content = lead + f"Your text is kept. Press **{label}** to fill in the rest, then **Save**."
        view = draft_view(draft_id, can_save=False, next_form=(form, label))
    else:
        embeds = [
            discord.Embed(
                title="Not saved yet: please fix these",
                description=_listed(problems, grouped=len({p.form for p in problems}) > 1),
                colour=discord.Colour.red(),
            )
        ]
        content = lead + "Everything you typed is kept: **Fix and resubmit** opens the form to correct."
        view = draft_view(draft_id, can_save=False, next_form=(problems[0].form, "Fix and resubmit"))
    await respond(interaction, content=render.clip(content, 2000), embeds=embeds, view=view)


FORM_BUTTONS = ((TEXT_FORM, "Edit text"), (DETAILS_FORM, "Edit details"), (LINKS_FORM, "Links and notes"))


def draft_view(draft_id: int, *, can_save: bool, next_form: tuple[str, str] | None = None) -> discord.ui.View:
    """The buttons under a draft preview: the next step first (the form still needed, or the one holding
    the first problem), the other forms, Save and Cancel."""
    view = discord.ui.View(timeout=None)
    buttons = [(form, label, discord.ButtonStyle.secondary) for form, label in FORM_BUTTONS]
    if next_form is not None:
        buttons = [
            (next_form[0], next_form[1], discord.ButtonStyle.primary),
            *(b for b in buttons if b[0] != next_form[0]),
        ]
    buttons += [
        ("save", "Save", discord.ButtonStyle.success),
        ("cancel", "Cancel", discord.ButtonStyle.danger),
    ]
    for action, label, style in buttons:
        button = DraftButton(draft_id, action, label, style)
        button.item.disabled = action == "save" and not can_save
        view.add_item(button)
    return view


class DraftButton(PersistentButton, custom_id="draft:{action:text|details|links|save|cancel}:{draft_id:int}"):
    """Open one of a held draft's forms, save it, or cancel it."""

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
        if self.action in FORM_NAMES:
            form = await draft_form(bot, self.action, stored.id, stored.draft, adding=adding)
            await interaction.response.send_modal(form)
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
    accepted = None
    if draft.suggestion_id is not None:
        with contextlib.suppress(Conflict):  # another moderator handled it meanwhile: the edit stands
            accepted = await bot.moderation_store.close_suggestion(
                draft.suggestion_id, status="accepted", handled_by=interaction.user.id
            )
    await announce_change(interaction, change, "Saved")
    if accepted is not None:  # after the answer: a direct message must not cost Discord's 3 seconds
        await tell_suggester(bot, accepted, change.fact.title, revision=change.revision.revision)


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
    await interaction.response.send_modal(
        await draft_form(interaction.client, TEXT_FORM, draft_id, draft, adding=False)
    )


async def start_add(interaction: discord.Interaction[DPRKWatch], draft: Draft) -> None:
    """Open the text form of a new fact pre-filled from `draft` (a lead's), keeping it as a held draft:
    nothing is published until the moderator saves it."""
    assert interaction.guild_id is not None
    draft_id = await interaction.client.moderation_store.save_draft(
        guild_id=interaction.guild_id, user_id=interaction.user.id, draft=draft, base_revision=None
    )
    await interaction.response.send_modal(
        await draft_form(interaction.client, TEXT_FORM, draft_id, draft, adding=True)
    )
