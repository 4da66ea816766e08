"""Persistent buttons: one custom_id format gives both the text a button is built with and the pattern
discord.py matches clicks with."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bot.facts.ui import OpenFactButton
from bot.kit.persistent import PersistentButton
from bot.moderation.queue_ui import QuestionReviewButton, SuggestionButton
from bot.moderation.ui import DraftButton
from bot.quiz.ui import AnswerButton

EXAMPLES = [
    (OpenFactButton("nuclear-test-6", "Sixth nuclear test"), "fact:open:nuclear-test-6"),
    (SuggestionButton(17, "dismiss"), "suggestion:dismiss:17"),
    (QuestionReviewButton("q-sixth-test-yield", 4), "qreview:4:q-sixth-test-yield"),
    (DraftButton(9, "save", "Save"), "draft:save:9"),
    (AnswerButton("daily", 123456789012, 3, "D. 2017"), "quiz:daily:123456789012:3"),
]


@pytest.mark.parametrize(("button", "custom_id"), EXAMPLES)
async def test_a_button_is_rebuilt_from_its_own_custom_id(button: PersistentButton, custom_id: str) -> None:
    assert button.custom_id == custom_id
    match = type(button).__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    rebuilt = await type(button).from_custom_id(None, button.item, match)  # type: ignore[arg-type]
    assert type(rebuilt) is type(button)
    assert rebuilt.custom_id == custom_id
    fields = re.findall(r"\{(\w+):", type(button).custom_id_format)
    assert {f: getattr(rebuilt, f) for f in fields} == {f: getattr(button, f) for f in fields}


@pytest.mark.parametrize(
    ("cls", "custom_id"),
    [
        (SuggestionButton, "suggestion:delete:17"),  # not one of the declared actions
        (AnswerButton, "quiz:daily:12:4"),  # four options: 0-3
        (OpenFactButton, "fact:open:Nuclear Test"),  # ids are lowercase slugs
        (DraftButton, "draft:save:9:extra"),
    ],
)
def test_a_custom_id_outside_the_format_is_not_matched(cls: type[PersistentButton], custom_id: str) -> None:
    assert cls.__discord_ui_compiled_template__.fullmatch(custom_id) is None


def test_a_custom_id_past_discords_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="100 characters"):
        OpenFactButton("x" * 120)


def test_starting_the_bot_does_not_import_matplotlib() -> None:
    """matplotlib is half the bot's memory: it is imported when the first chart is drawn."""
    code = "import sys, bot.app.client, cogs.stats; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
