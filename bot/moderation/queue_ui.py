"""Discord pieces of the moderators' queues: members' suggested corrections, import confirmation and
hand-written quiz questions held back by a fact edit.

Buttons are DynamicItems with the suggestion, import or question id in `custom_id`; all state is in the
database, so they keep working after a restart of the bot.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

import discord

from bot.core.errors import InvalidInput, NotAllowed, NotFound
from bot.facts import render
from bot.i18n import _
from bot.kit.checks import ensure_moderator
from bot.kit.error_path import GuardedModal
from bot.kit.persistent import PersistentButton
from bot.moderation.audit import post_audit, suggestion_embed
from bot.moderation.notify import tell_suggester
from bot.moderation.ui import respond, start_edit
from bot.quiz.model.handwritten import HandwrittenQuestion, correct_handwritten, handwritten_to_json
from bot.quiz.model.questions import MAX_EXPLANATION, MAX_OPTION, MAX_PROMPT, OPTION_COUNT

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch


# --- Suggestions ---------------------------------------------------------------------------------


class SuggestButton(PersistentButton, custom_id="suggest:{fact_id:slug}"):
    """'Suggest a correction' on a fact card: anyone may use it."""

    fact_id: str

    def __init__(self, fact_id: str):
        super().__init__(label=_("Suggest a correction"), emoji="✏️", fact_id=fact_id)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        if interaction.guild_id is None:
            raise InvalidInput(_("Suggestions can be made from inside a server."))
        interaction.client.suggestion_cooldown.check((interaction.guild_id, interaction.user.id))
        await interaction.response.send_modal(SuggestionModal(self.fact_id))


SUGGESTION_MIN_LENGTH = 10


class SuggestionModal(GuardedModal):
    def __init__(self, fact_id: str):
        # Built per click, in the member's language (bot.i18n).
        super().__init__(title=_("Suggest a correction"))
        self.text: discord.ui.TextInput[SuggestionModal] = discord.ui.TextInput(
            label=_("What is wrong, and your source"),
            custom_id="suggestion",
            style=discord.TextStyle.long,
            min_length=SUGGESTION_MIN_LENGTH,
            max_length=1500,
        )
        self.add_item(self.text)
        self.fact_id = fact_id

    async def on_submit(self, interaction: discord.Interaction[DPRKWatch]) -> None:  # type: ignore[override]
        bot = interaction.client
        fact = await bot.fact_store.get_fact(self.fact_id)
        if fact is None:
            raise NotFound(_("That fact is no longer in the record."))
        assert interaction.guild_id is not None
        # Control characters (NUL above all: SQLite's length() stops at it) carry nothing a moderator needs.
        text = "".join(c for c in self.text.value if c in "\n\t" or unicodedata.category(c) != "Cc").strip()
        if len(text) < SUGGESTION_MIN_LENGTH:
            # Discord counts spaces and line breaks towards min_length; the queue needs words.
            raise InvalidInput(_("Please say what is wrong and give a source, in at least a few words."))
        bot.suggestion_cooldown.use((interaction.guild_id, interaction.user.id))
        suggestion = await bot.moderation_store.add_suggestion(
            fact_id=fact.id,
            guild_id=interaction.guild_id,
            user_id=interaction.user.id,
            user_name=str(interaction.user),
            text=text,
        )
        await interaction.response.send_message(
            _("Thank you! Your suggestion #{number} is in the moderators' queue.").format(
                number=suggestion.id
            ),
            ephemeral=True,
        )
        # After the thanks: a slow audit channel must not cost Discord's 3 seconds (its problems are
        # the moderators' to see, in the queue, not the member's).
        await post_audit(bot, interaction.guild_id, suggestion_embed(suggestion, fact.title))


class SuggestionButton(PersistentButton, custom_id="suggestion:{action:accept|dismiss}:{suggestion_id:int}"):
    """Accept (opens the edit form pre-filled) or Dismiss, in the moderators' queue."""

    suggestion_id: int
    action: str

    def __init__(self, suggestion_id: int, action: str):
        style = discord.ButtonStyle.success if action == "accept" else discord.ButtonStyle.secondary
        super().__init__(
            label=f"{action.capitalize()} #{suggestion_id}",
            style=style,
            suggestion_id=suggestion_id,
            action=action,
        )

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        await ensure_moderator(interaction)
        bot = interaction.client
        suggestion = await bot.moderation_store.get_suggestion(self.suggestion_id)
        if suggestion.status != "open":
            raise NotAllowed(f"Suggestion #{suggestion.id} was already {suggestion.status}.")
        if self.action == "dismiss":
            dismissed = await bot.moderation_store.close_suggestion(
                suggestion.id, status="dismissed", handled_by=interaction.user.id
            )
            await interaction.response.send_message(
                f"Dismissed suggestion #{suggestion.id}; <@{suggestion.user_id}> is told by direct message "
                "where they allow it. `/factmod suggestions show:Dismissed` keeps it.",
                ephemeral=True,
            )
            fact = await bot.fact_store.get_fact(suggestion.fact_id, include_retired=True)
            await tell_suggester(bot, dismissed, fact.title if fact else suggestion.fact_id)
            return
        # The suggestion stays open until the edit is saved: a form closed unsaved loses nothing.
        await start_edit(
            interaction,
            suggestion.fact_id,
            reason=render.clip(f"Suggestion #{suggestion.id}: {suggestion.text}", 300),
            suggestion_id=suggestion.id,
        )


# --- Import confirmation -------------------------------------------------------------------------


class ImportButton(PersistentButton, custom_id="import:{action:confirm|cancel}:{import_id:int}"):
    """Confirm or cancel an import that was checked and held."""

    import_id: int
    action: str

    def __init__(self, import_id: int, action: str):
        style = discord.ButtonStyle.success if action == "confirm" else discord.ButtonStyle.secondary
        super().__init__(label=action.capitalize(), style=style, import_id=import_id, action=action)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        await ensure_moderator(interaction)
        bot = interaction.client
        pending = await bot.moderation_store.take_pending_import(self.import_id, interaction.user.id)
        if self.action == "cancel":
            await respond(interaction, content="Import cancelled; nothing was changed.", embeds=[], view=None)
            return
        await interaction.response.defer()
        report = await bot.fact_service.import_file(
            pending.data,
            pending.file_format,
            editor_id=interaction.user.id,
            editor_name=str(interaction.user),
            dry_run=False,
        )
        summary = import_summary(report, pending.filename)
        await interaction.edit_original_response(content=None, embeds=[summary], view=None)


def import_summary(report: Any, filename: str) -> discord.Embed:
    state = "Applied" if report.applied else ("Nothing applied" if report.rejected else "Dry run")
    embed = discord.Embed(
        title=render.clip(f"Import of {filename}: {state}", 256),
        colour=discord.Colour.green() if not report.rejected else discord.Colour.red(),
    )
    embed.add_field(name="Additions", value=str(len(report.added)))
    embed.add_field(name="Changes", value=str(len(report.changed)))
    embed.add_field(name="Unchanged", value=str(len(report.unchanged)))
    if report.added or report.changed:
        ids = [f"+ {i}" for i in report.added] + [f"~ {i}" for i in report.changed]
        embed.add_field(
            name="Facts", value=render.clip("```diff\n" + "\n".join(ids[:40]) + "\n```", 1024), inline=False
        )
    if report.rejected:
        lines = [f"• `{render.clip(label, 60)}`: {render.plain(reason)}" for label, reason in report.rejected]
        embed.add_field(
            name=f"Rejected ({len(report.rejected)}): the whole file was left out",
            value=render.clip("\n".join(lines), 1024),
            inline=False,
        )
    return render.fit(embed)


# --- Hand-written quiz questions held back after a fact edit -------------------------------------


class QuestionReviewButton(PersistentButton, custom_id="qreview:{revision:int}:{question_id:question_id}"):
    """'Still correct': the hand-written question goes back into the quiz, reviewed against this revision."""

    question_id: str
    revision: int

    def __init__(self, question_id: str, revision: int):
        super().__init__(
            label=render.clip(f"Still correct: {question_id}", 80),
            style=discord.ButtonStyle.success,
            question_id=question_id,
            revision=revision,
        )

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        await ensure_moderator(interaction)
        bot = interaction.client
        question = await held_back_question(bot, self.question_id)
        await bot.quiz_store.mark_reviewed(
            question.id, question.fact_id, self.revision, interaction.user.id, bot.clock.now()
        )
        await interaction.response.send_message(
            f"`{question.id}` is back in the quiz (checked against revision {self.revision} of "
            f"`{question.fact_id}`).",
            ephemeral=True,
        )


async def held_back_question(bot: DPRKWatch, question_id: str) -> HandwrittenQuestion:
    """The hand-written question as the quiz would ask it (a moderator's correction over the file's)."""
    question = next((q for q in await bot.question_bank.current_handwritten() if q.id == question_id), None)
    if question is None:
        raise NotFound(f"There is no hand-written question `{question_id}` any more.")
    return question


class QuestionCorrectButton(PersistentButton, custom_id="qcorrect:{revision:int}:{question_id:question_id}"):
    """'Correct it': a form pre-filled with the question; the correction goes back into the quiz."""

    question_id: str
    revision: int

    def __init__(self, question_id: str, revision: int):
        super().__init__(
            label=render.clip(f"Correct it: {question_id}", 80),
            style=discord.ButtonStyle.primary,
            question_id=question_id,
            revision=revision,
        )

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        await ensure_moderator(interaction)
        question = await held_back_question(interaction.client, self.question_id)
        await interaction.response.send_modal(QuestionCorrectionModal(question, self.revision))


# Room for three options at their limit and a few stray characters: a longer option is refused with the
# file's own message rather than by Discord's silent length check.
WRONG_OPTIONS_INPUT_LIMIT = 1000


class QuestionCorrectionModal(GuardedModal):
    """The fields of a hand-written question (data/quiz/README.md), pre-filled; checked with the file's
    rules on submit, and nothing stored unless the whole question passes."""

    def __init__(self, question: HandwrittenQuestion, revision: int):
        super().__init__(title=render.clip(f"Correct {question.id}", 45))
        self.question, self.revision = question, revision
        wrong_label = f"The {OPTION_COUNT - 1} wrong options, one a line"
        self.prompt = self._input("prompt", "Question", question.prompt, MAX_PROMPT, long=True)
        self.answer = self._input("answer", "Right answer", question.answer, MAX_OPTION)
        self.wrong = self._input(
            "wrong", wrong_label, "\n".join(question.wrong), WRONG_OPTIONS_INPUT_LIMIT, long=True
        )
        self.explanation = self._input(
            "explanation",
            "Explanation (empty: the fact's summary)",
            question.explanation,
            MAX_EXPLANATION,
            long=True,
            required=False,
        )
        self.difficulty = self._input("difficulty", "Difficulty: 1, 2 or 3", str(question.difficulty), 3)

    def _input(
        self, name: str, label: str, value: str, limit: int, *, long: bool = False, required: bool = True
    ) -> discord.ui.TextInput[QuestionCorrectionModal]:
        text_input: discord.ui.TextInput[QuestionCorrectionModal] = discord.ui.TextInput(
            label=label,
            custom_id=name,
            default=render.clip(value, limit) or None,
            max_length=limit,
            required=required,
            style=discord.TextStyle.long if long else discord.TextStyle.short,
        )
        self.add_item(text_input)
        return text_input

    async def on_submit(self, interaction: discord.Interaction[DPRKWatch]) -> None:  # type: ignore[override]
        await ensure_moderator(interaction)
        bot = interaction.client
        original = await held_back_question(bot, self.question.id)
        corrected, problems = correct_handwritten(
            original,
            prompt=self.prompt.value,
            answer=self.answer.value,
            wrong=self.wrong.value.splitlines(),
            explanation=self.explanation.value,
            difficulty=self.difficulty.value,
        )
        if corrected is None:
            raise InvalidInput(
                f"The correction of `{original.id}` was not saved:\n"
                + "\n".join(f"• {render.plain(p)}" for p in problems)
            )
        await bot.quiz_store.save_correction(
            corrected.id,
            corrected.fact_id,
            self.revision,
            handwritten_to_json(corrected),
            interaction.user.id,
            bot.clock.now(),
        )
        await interaction.response.send_message(
            f"`{corrected.id}` is back in the quiz, corrected (checked against revision {self.revision} of "
            f"`{corrected.fact_id}`).\nQ: {render.plain(corrected.prompt)}\nA: **{render.plain(corrected.answer)}**",
            ephemeral=True,
        )
