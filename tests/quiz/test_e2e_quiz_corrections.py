"""End to end: a moderator corrects a held-back hand-written quiz question from Discord."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.quiz.model.handwritten import HandwrittenQuestion, load_handwritten
from tests.app.test_cli import run_cli
from tests.conftest import WatchEnv
from tests.emulator.actors import Actor
from tests.quiz.test_quiz_cli import cli_env

FACT = "us-bda-2005"


async def hold_back(watch: WatchEnv, mod: Actor) -> HandwrittenQuestion:
    """Edit the fact of a hand-written question: the question is held back until reviewed."""
    bank = watch.bot.question_bank
    written = next(q for q in bank.handwritten() if q.fact_id == FACT)
    form = await mod.slash("factmod edit", fact=FACT)
    values = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal(
        {**values, "summary": values["summary"] + " (checked)", "reason": "wording"}
    )
    await preview.click("Save")
    assert written.key not in {q.key for q in await bank.questions()}
    return written


def form_values(form: Any) -> dict[str, Any]:
    return {f["custom_id"]: f.get("value") for f in form.modal.fields}


async def test_a_moderator_corrects_a_held_back_question_and_it_is_asked_corrected(
    watch: WatchEnv, tmp_path: Path
) -> None:
    mod = watch.moderator()
    written = await hold_back(watch, mod)
    queue = await mod.slash("factmod review-questions")
    assert "data/quiz" not in json.dumps(queue.embeds[0])
    assert {"Still correct: " + written.id, "Correct it: " + written.id} <= {
        b["label"] for b in queue.buttons
    }
    form = await queue.click(f"qcorrect:2:{written.id}")
    shown = form_values(form)
    assert shown["prompt"] == written.prompt
    assert shown["answer"] == written.answer
    assert shown["wrong"].splitlines() == list(written.wrong)
    assert shown["difficulty"] == str(written.difficulty)
    prompt = written.prompt.rstrip("?") + " (as corrected)?"
    saved = await form.submit_modal(
        {**shown, "prompt": prompt, "wrong": "\n".join([*written.wrong[:2], "Nobody"])}
    )
    assert saved.ephemeral
    assert "is back in the quiz, corrected" in saved.content

    def asked(questions: list[Any]) -> Any:
        return next(q for q in questions if q.key == written.key)

    question = asked(await watch.bot.question_bank.questions())
    assert question.prompt == prompt
    assert set(question.options) == {written.answer, *written.wrong[:2], "Nobody"}
    assert question.answer == written.answer
    stored = await watch.bot.quiz_store.question_corrections()
    assert json.loads(stored[written.id])["prompt"] == prompt
    assert "No quiz questions are waiting" in (await mod.slash("factmod review-questions")).content

    await watch.restart()
    question = asked(await watch.bot.question_bank.questions())
    assert question.prompt == prompt
    assert "Nobody" in question.options
    assert (
        "No quiz questions are waiting" in (await watch.moderator().slash("factmod review-questions")).content
    )
    # What `python -m bot quiz bank` lists is the corrected question too.
    result = run_cli("quiz", "bank", "--format", "json", env=cli_env(watch), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = next(q for q in json.loads(result.stdout)["questions"] if q["key"] == written.key)
    assert listed["prompt"] == prompt
    assert "Nobody" in listed["options"]
    # `quiz corrections` gives the correction back in the file's format, which the file's rules accept.
    exported = run_cli("quiz", "corrections", env=cli_env(watch), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    tables = tomllib.loads(exported.stdout)["question"]
    assert [t["id"] for t in tables] == [written.id]
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "questions.toml").write_text(exported.stdout, "utf-8")
    [reloaded] = load_handwritten(tmp_path, known_fact_ids={FACT})
    assert reloaded == dataclasses.replace(written, prompt=prompt, wrong=(*written.wrong[:2], "Nobody"))


async def test_without_corrections_the_command_says_so(watch: WatchEnv, tmp_path: Path) -> None:
    result = run_cli("quiz", "corrections", env=cli_env(watch), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "# No hand-written question has been corrected from Discord.\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda q: {"wrong": "\n".join([q.answer, *q.wrong[1:]])},
            "the right answer is also written as a wrong option",
        ),
        (lambda q: {"wrong": "\n".join([*q.wrong[:2], "x" * 81])}, "must be 1-80 characters"),
        (
            lambda q: {"wrong": "\n".join(q.wrong[:2])},
            "write exactly 3 wrong options, one a line (there are 2)",
        ),
        (lambda q: {"difficulty": "5"}, "difficulty must be 1, 2 or 3"),
    ],
)
async def test_a_bad_correction_is_refused_with_the_reason_and_nothing_is_stored(
    watch: WatchEnv, change: Any, message: str
) -> None:
    mod = watch.moderator()
    written = await hold_back(watch, mod)
    queue = await mod.slash("factmod review-questions")
    form = await queue.click(f"qcorrect:2:{written.id}")
    refused = await form.submit_modal({**form_values(form), **change(written)})
    assert refused.ephemeral
    assert "was not saved" in refused.content
    assert message in refused.content
    assert refused.content.count("\n•") == 1  # one problem, said once
    assert await watch.bot.quiz_store.question_corrections() == {}
    assert written.key not in {q.key for q in await watch.bot.question_bank.questions()}


async def test_a_non_moderator_can_neither_open_nor_submit_the_correction(watch: WatchEnv) -> None:
    mod = watch.moderator()
    written = await hold_back(watch, mod)
    queue = await mod.slash("factmod review-questions")
    form = await queue.click(f"qcorrect:2:{written.id}")
    assert mod.member is not None
    watch.guild.set_member_roles(mod.member, [])  # no longer a moderator
    refused = await form.submit_modal({**form_values(form), "prompt": "Changed by someone else?"})
    assert refused.ephemeral
    assert "moderator" in refused.content.lower()
    again = await queue.click(f"qcorrect:2:{written.id}")
    assert again.record.modal is None
    assert "moderator" in again.content.lower()
    assert await watch.bot.quiz_store.question_corrections() == {}
    assert written.key not in {q.key for q in await watch.bot.question_bank.questions()}
