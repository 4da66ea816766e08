"""Quiz buttons. The post or practice id and the choice are in `custom_id`, and every answer is read
from and written to the database, so buttons keep working across restarts."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import discord

from bot.facts import render
from bot.i18n import _
from bot.kit.error_path import GuardedView
from bot.kit.persistent import PersistentButton
from bot.quiz.render import LETTERS, answer_text, standing_line
from bot.quiz.store import AnswerStatus

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch


def answer_view(
    kind: str,
    round_id: int,
    options: tuple[str, ...],
    *,
    disabled: bool = False,
    correct_index: int | None = None,
) -> discord.ui.View:
    """Four answer buttons; after the reveal they are disabled and the right one is green."""
    view = discord.ui.View(timeout=None)
    for index, option in enumerate(options):
        button = AnswerButton(kind, round_id, index, f"{LETTERS[index]}. {option}")
        button.item.disabled = disabled
        if correct_index is not None:
            button.item.style = (
                discord.ButtonStyle.success if index == correct_index else discord.ButtonStyle.secondary
            )
        view.add_item(button)
    return view


# How long /quiz forget-me waits for its answer before closing the question (deleting nothing).
FORGET_CONFIRMATION_SECONDS = 300


class AnswerButton(PersistentButton, custom_id="quiz:{kind:daily|practice}:{round_id:int}:{choice:choice}"):
    """One answer to a daily question (shared by the server) or a practice question (one member's)."""

    kind: str
    round_id: int
    choice: int

    def __init__(self, kind: str, round_id: int, choice: int, label: str = "") -> None:
        super().__init__(
            label=render.clip(label or LETTERS[choice], 80),
            style=discord.ButtonStyle.primary,
            kind=kind,
            round_id=round_id,
            choice=choice,
        )

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        if self.kind == "daily":
            result = await bot.quiz_store.record_answer(self.round_id, interaction.user.id, self.choice, now)
            question = result.question
        else:
            practice = await bot.quiz_store.practice_round(self.round_id)
            question = practice.question if practice else None
            result = await bot.quiz_store.answer_practice(
                self.round_id, interaction.user.id, self.choice, now
            )
        if result.status is AnswerStatus.RECORDED and question is not None:
            # A correct daily answer comes back from the store with its streak and rank.
            standing = standing_line(result.streak, result.rank) if result.streak is not None else ""
            message = answer_text(
                question,
                bool(result.correct),
                result.points if self.kind == "daily" else None,
                standing,
            )
        elif result.status is AnswerStatus.ALREADY_ANSWERED and result.choice is not None:
            message = _("You already answered this one ({letter}); your first answer counts.").format(
                letter=LETTERS[result.choice]
            )
        elif result.status is AnswerStatus.CLOSED:
            message = _("Answers to this question have closed: the answer is on the post.")
        elif self.kind == "practice":
            message = _("This practice question belongs to someone else. Try /quiz play for your own.")
        else:
            message = _("This quiz post is no longer known.")
        await interaction.response.send_message(message, ephemeral=True)


class ForgetConfirmation(GuardedView):
    """Confirm or cancel /quiz forget-me (ephemeral, so only the member sees it)."""

    def __init__(self, interaction: discord.Interaction[DPRKWatch]):
        super().__init__(timeout=FORGET_CONFIRMATION_SECONDS)
        self.interaction = interaction  # to close the question when nobody answers it
        self.user_id = interaction.user.id
        self.confirm.label = _("Delete my quiz data")
        self.cancel.label = _("Keep it")

    async def on_timeout(self) -> None:
        # Within the interaction's 15 minutes, so its message can still be edited.
        with contextlib.suppress(discord.HTTPException):
            await self.interaction.edit_original_response(
                content=_("Nothing was deleted (no answer within 5 minutes)."), view=None
            )

    @discord.ui.button(label="Delete my quiz data", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[DPRKWatch], button: discord.ui.Button[ForgetConfirmation]
    ) -> None:
        assert interaction.guild_id is not None
        report = await interaction.client.quiz_store.forget_member(interaction.guild_id, self.user_id)
        await interaction.response.edit_message(
            content=_("Done: deleted {daily} daily answers and {practice} practice answers.").format(
                daily=report.answers, practice=report.practice
            ),
            view=None,
        )

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[DPRKWatch], button: discord.ui.Button[ForgetConfirmation]
    ) -> None:
        await interaction.response.edit_message(content=_("Nothing was deleted."), view=None)
