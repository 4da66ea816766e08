"""`python -m bot quiz bank` and `quiz preview`, run as subprocesses beside the real bot."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.app.test_cli import PROJECT_ROOT, run_cli
from tests.conftest import WatchEnv
from tests.quiz.test_e2e_quiz import seoul, set_up, tick_at, todays_post


def cli_env(watch: WatchEnv) -> dict[str, str]:
    return {"DATABASE_PATH": str(watch.settings.database_path), "DATASET_DIR": str(PROJECT_ROOT / "data")}


async def test_the_bank_lists_every_question_the_bot_can_post(watch: WatchEnv, tmp_path: Path) -> None:
    result = run_cli("quiz", "bank", "--format", "json", env=cli_env(watch), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    questions = await watch.bot.question_bank.questions()
    assert document["format"] == "dprk-watch-quiz-bank"
    assert [q["key"] for q in document["questions"]] == [q.key for q in questions]
    kinds = {q["kind"] for q in document["questions"]}
    assert "handwritten" in kinds
    assert len(kinds) >= 5
    for record, question in zip(document["questions"], questions, strict=True):
        assert record["options"][record["correct_index"]] == question.answer
        assert record["prompt"] == question.prompt
        assert record["difficulty"] in ("easy", "medium", "hard")
        assert record["facts"][0]["id"] == question.fact_id
        assert record["facts"][0]["title"]
    text = run_cli("quiz", "bank", env=cli_env(watch), cwd=tmp_path)
    assert text.returncode == 0
    assert f"{len(questions)} questions." in text.stdout
    assert f"correct index {questions[0].correct_index}; rests on {questions[0].fact_id}" in text.stdout


async def test_held_back_questions_are_not_in_the_bank(watch: WatchEnv, tmp_path: Path) -> None:
    written = watch.bot.question_bank.handwritten()[0]
    fact = await watch.bot.fact_store.get_fact(written.fact_id)
    assert fact is not None
    # A moderator's edit to the fact holds the hand-written question back until it is reviewed.
    await watch.moderator("admin").slash("factmod retire", fact=fact.id, reason="testing")
    await watch.moderator("admin").slash("factmod restore", fact=fact.id)
    held = await watch.bot.quiz_store.held_back_questions({written.id: written.fact_id})
    result = run_cli("quiz", "bank", "--format", "json", env=cli_env(watch), cwd=tmp_path)
    keys = {q["key"] for q in json.loads(result.stdout)["questions"]}
    assert written.id in held
    assert f"hand:{written.id}" not in keys
    assert any(key.startswith("hand:") for key in keys)


async def test_the_preview_is_what_the_poster_then_posts(watch: WatchEnv, tmp_path: Path) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    env = cli_env(watch)
    # History matters: day 1 is posted before the preview of days 1 to 6 is taken.
    await tick_at(watch, seoul(1, 9))
    result = run_cli(
        "quiz", "preview", "--days", "6", "--from", "2026-12-01", "--format", "json", env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    days = json.loads(result.stdout)["days"]
    assert [d["date"] for d in days] == [date(2026, 12, n).isoformat() for n in range(1, 7)]
    assert [d["status"] for d in days] == ["posted"] + ["planned"] * 5
    for n, planned in enumerate(days, start=1):
        await tick_at(watch, seoul(n, 9))
        post = await todays_post(watch, n)
        assert post.question is not None
        assert planned["question"]["key"] == post.question.key
    text = run_cli("quiz", "preview", "--days", "2", env=env, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"Server {watch.guild.id}: the next 2 days.")
    assert "(planned)" in text.stdout


async def test_the_preview_needs_a_server_when_it_cannot_guess_one(watch: WatchEnv, tmp_path: Path) -> None:
    result = run_cli("quiz", "preview", env=cli_env(watch), cwd=tmp_path)
    assert result.returncode == 2
    assert "--server" in result.stderr
    result = run_cli("quiz", "preview", "--server", "42", "--days", "0", env=cli_env(watch), cwd=tmp_path)
    assert result.returncode == 2
    assert "--days" in result.stderr
