"""The quiz store on a real temporary SQLite file: settings, claims and answers under concurrency,
reveals, scores and streaks, practice, forgetting a member and holding back edited questions."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.errors import InvalidInput, NotFound
from bot.db.database import Database, StoreBusy
from bot.facts.model.fact import parse_fact
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore
from bot.quiz.model import DailyChoice, Question, QuestionType, QuizSchedule, generate_questions
from bot.quiz.model.handwritten import MAX_QUESTION_ID
from bot.quiz.model.questions import make_question
from bot.quiz.model.scoring import CORRECT_POINTS, daily_points
from bot.quiz.store import (
    CLAIM_LEASE,
    MAX_POST_ATTEMPTS,
    AnswerStatus,
    PostState,
    QuizPost,
    QuizStore,
    SkipOutcome,
)
from tests.conftest import fact_record

GUILD, OTHER_GUILD, CHANNEL = 1001, 1002, 5001
NOON = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
DAY = date(2024, 6, 3)


def question(key: str = "when:test", correct: str = "Right") -> Question:
    fact = parse_fact(fact_record())
    built = make_question(
        key=key,
        question_type=QuestionType.WHEN,
        prompt="When?",
        answer=correct,
        distractors=["Wrong 1", "Wrong 2", "Wrong 3"],
        explanation="Because.",
        fact=fact,
        difficulty=1,
    )
    assert built is not None
    return built


def choice(key: str = "when:test", new_round: bool = False) -> DailyChoice:
    return DailyChoice(question(key), new_round)


@pytest.fixture
def quiz(database: Database) -> QuizStore:
    return QuizStore(database)


async def posted(
    quiz: QuizStore, day: date = DAY, *, guild: int = GUILD, at: datetime = NOON, key: str | None = None
) -> QuizPost:
    """A question claimed and posted for `day`, open for a day."""
    post = await quiz.claim_post(guild, day, choice(key or f"when:{day}"), CHANNEL, at)
    assert post is not None
    assert await quiz.mark_posted(
        post.id, message_id=post.id * 100 + guild, posted_at=at, closes_at=at + timedelta(days=1)
    )
    refreshed = await quiz.post(post.id)
    assert refreshed is not None
    return refreshed


def wrong_choice(post: QuizPost) -> int:
    assert post.question is not None
    return (post.question.correct_index + 1) % 4


def right_choice(post: QuizPost) -> int:
    assert post.question is not None
    return post.question.correct_index


# --- settings ------------------------------------------------------------------------------------


async def test_settings_are_saved_replaced_and_disabled(quiz: QuizStore) -> None:
    assert await quiz.settings(GUILD) is None
    plan = QuizSchedule(time(9), "Europe/London")
    saved = await quiz.configure(GUILD, CHANNEL, plan, NOON)
    assert saved == await quiz.settings(GUILD)
    later = QuizSchedule(time(23, 59), "Pacific/Chatham", close_time=time(20))
    await quiz.configure(GUILD, CHANNEL + 1, later, NOON)
    settings = await quiz.settings(GUILD)
    assert settings is not None
    assert settings.schedule == later
    assert settings.channel_id == CHANNEL + 1
    assert await quiz.disable(GUILD, NOON) is True
    assert await quiz.disable(GUILD, NOON) is False
    assert [g.settings.guild_id for g in await quiz.scheduled_guilds()] == []


async def test_the_schema_refuses_a_bad_time_even_from_raw_sql(quiz: QuizStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with quiz.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO quiz_settings (guild_id, channel_id, post_time, timezone, updated_at) "
                "VALUES (1, 2, '25:00', 'UTC', 'now')"
            )
    assert await quiz.settings(1) is None


async def test_scheduled_guilds_know_the_last_day_they_handled(quiz: QuizStore) -> None:
    plan = QuizSchedule(time(9), "UTC")
    await quiz.configure(GUILD, CHANNEL, plan, NOON)
    await quiz.configure(OTHER_GUILD, CHANNEL, plan, NOON)
    await posted(quiz, DAY - timedelta(days=2))
    await quiz.skip_day(GUILD, DAY - timedelta(days=1), NOON)
    await quiz.claim_post(OTHER_GUILD, DAY, choice(), CHANNEL, NOON)  # claimed, not yet posted
    scheduled = {g.settings.guild_id: g for g in await quiz.scheduled_guilds()}
    assert scheduled[GUILD].last_handled == DAY - timedelta(days=1)
    assert scheduled[OTHER_GUILD].last_handled is None
    assert scheduled[GUILD].due(NOON) == DAY
    (one,) = await quiz.scheduled_guilds(GUILD)  # just one server, as /quizadmin setup asks
    assert one.settings.guild_id == GUILD
    assert one.last_handled == DAY - timedelta(days=1)


# --- claiming posts ------------------------------------------------------------------------------


async def test_fifty_concurrent_claims_of_one_day_have_exactly_one_winner(quiz: QuizStore) -> None:
    claims = await asyncio.gather(*(quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON) for _ in range(50)))
    winners = [c for c in claims if c is not None]
    assert len(winners) == 1
    assert winners[0].state is PostState.CLAIMED
    assert winners[0].attempts == 1
    async with quiz.db.reader.execute("SELECT count(*) FROM quiz_posts") as cursor:
        assert (await cursor.fetchone())[0] == 1


async def test_claims_for_different_servers_and_days_do_not_conflict(quiz: QuizStore) -> None:
    claims = await asyncio.gather(
        *(
            quiz.claim_post(guild, DAY + timedelta(days=d), choice(), CHANNEL, NOON)
            for guild in range(10)
            for d in range(3)
        )
    )
    assert all(c is not None for c in claims)


async def test_a_posted_day_is_never_claimed_again(quiz: QuizStore) -> None:
    await posted(quiz)
    assert await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON + timedelta(hours=5)) is None


async def test_a_failed_post_is_retried_with_the_same_question_until_attempts_run_out(
    quiz: QuizStore,
) -> None:
    first = await quiz.claim_post(GUILD, DAY, choice("when:first"), CHANNEL, NOON)
    assert first is not None
    for attempt in range(1, MAX_POST_ATTEMPTS):
        failed = await quiz.mark_failed(first.id, "Missing Access", NOON)
        assert failed.state is PostState.FAILED
        assert "Missing Access" in failed.last_error
        retry = await quiz.claim_post(GUILD, DAY, choice("when:other"), CHANNEL, NOON)
        assert retry is not None
        assert retry.id == first.id
        assert retry.attempts == attempt + 1
        assert retry.question is not None
        assert retry.question.key == "when:first"
    await quiz.mark_failed(first.id, "Missing Access", NOON)
    assert await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON) is None  # given up: the caller logs it
    scheduled = await quiz.scheduled_guilds()
    assert scheduled == []  # not configured, so not scheduled; the give-up still counts as handled:
    await quiz.configure(GUILD, CHANNEL, QuizSchedule(time(9), "UTC"), NOON)
    assert (await quiz.scheduled_guilds())[0].last_handled == DAY


async def test_a_claim_left_by_a_dead_process_is_taken_over_after_the_lease(quiz: QuizStore) -> None:
    stuck = await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON)
    assert stuck is not None
    assert await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON + CLAIM_LEASE / 2) is None
    taken = await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON + CLAIM_LEASE)
    assert taken is not None
    assert taken.id == stuck.id
    assert taken.attempts == 2


async def test_skipping_a_day_prevents_its_post(quiz: QuizStore) -> None:
    assert await quiz.skip_day(GUILD, DAY, NOON) is SkipOutcome.SKIPPED
    assert await quiz.skip_day(GUILD, DAY, NOON) is SkipOutcome.ALREADY_SKIPPED
    assert await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON) is None
    tomorrow = DAY + timedelta(days=1)
    await quiz.claim_post(GUILD, tomorrow, choice(), CHANNEL, NOON)
    assert await quiz.skip_day(GUILD, tomorrow, NOON) is SkipOutcome.IN_PROGRESS
    assert await quiz.skip_day(GUILD, tomorrow, NOON + CLAIM_LEASE) is SkipOutcome.SKIPPED
    await posted(quiz, DAY + timedelta(days=2))
    assert await quiz.skip_day(GUILD, DAY + timedelta(days=2), NOON) is SkipOutcome.ALREADY_POSTED


async def test_a_claim_skipped_meanwhile_cannot_be_marked_posted(quiz: QuizStore) -> None:
    post = await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON)
    assert post is not None
    await quiz.skip_day(GUILD, DAY, NOON + CLAIM_LEASE)
    assert not await quiz.mark_posted(post.id, 1, NOON, NOON + timedelta(days=1))


async def test_asked_keys_are_kept_per_server_and_round(quiz: QuizStore) -> None:
    await posted(quiz, DAY, key="when:a")
    await posted(quiz, DAY + timedelta(days=1), key="when:b")
    await posted(quiz, DAY, guild=OTHER_GUILD, key="when:c")
    assert await quiz.asked_keys(GUILD) == {"when:a", "when:b"}
    new_round = await quiz.claim_post(
        GUILD, DAY + timedelta(days=2), choice("when:a", new_round=True), CHANNEL, NOON
    )
    assert new_round is not None
    assert new_round.round == 2
    assert await quiz.asked_keys(GUILD) == {"when:a"}
    assert await quiz.asked_keys(OTHER_GUILD) == {"when:c"}


async def test_recent_questions_are_the_days_before_oldest_first_without_skips(quiz: QuizStore) -> None:
    for offset in range(5):
        await posted(quiz, DAY + timedelta(days=offset), key=f"when:{offset}")
    await posted(quiz, DAY + timedelta(days=2), guild=OTHER_GUILD, key="when:other")
    assert await quiz.skip_day(GUILD, DAY + timedelta(days=5), NOON) is SkipOutcome.SKIPPED
    recent = await quiz.recent_questions(GUILD, DAY + timedelta(days=6), 3)
    assert [q.key for q in recent] == ["when:3", "when:4"]
    assert [q.key for q in await quiz.recent_questions(GUILD, DAY + timedelta(days=4), 59)] == [
        "when:0",
        "when:1",
        "when:2",
        "when:3",
    ]


async def test_the_post_keeps_the_question_as_asked(quiz: QuizStore) -> None:
    post = await posted(quiz, key="when:snapshot")
    assert post.question == question("when:snapshot")
    assert post.state is PostState.POSTED
    assert post.is_open(NOON + timedelta(hours=1))
    assert await quiz.post_for_day(GUILD, DAY) == post


# --- answers -------------------------------------------------------------------------------------


async def test_fifty_concurrent_clicks_by_one_member_record_exactly_one_answer(quiz: QuizStore) -> None:
    post = await posted(quiz)
    at = NOON + timedelta(minutes=1)
    results = await asyncio.gather(*(quiz.record_answer(post.id, 77, i % 4, at) for i in range(50)))
    recorded = [r for r in results if r.status is AnswerStatus.RECORDED]
    assert len(recorded) == 1
    first = recorded[0]
    assert all(
        r.status is AnswerStatus.ALREADY_ANSWERED and r.choice == first.choice
        for r in results
        if r is not first
    )
    summary = await quiz.reveal_summary(post.id)
    assert summary is not None
    assert summary.total == 1


async def test_many_members_answer_at_once(quiz: QuizStore) -> None:
    post = await posted(quiz)
    at = NOON + timedelta(seconds=30)
    results = await asyncio.gather(*(quiz.record_answer(post.id, user, user % 4, at) for user in range(100)))
    assert all(r.status is AnswerStatus.RECORDED for r in results)
    summary = await quiz.reveal_summary(post.id)
    assert summary is not None
    assert summary.counts == (25, 25, 25, 25)


async def test_answers_are_scored_with_the_speed_bonus(quiz: QuizStore) -> None:
    post = await posted(quiz)
    quick = await quiz.record_answer(post.id, 1, right_choice(post), NOON + timedelta(minutes=5))
    slow = await quiz.record_answer(post.id, 2, right_choice(post), NOON + timedelta(hours=10))
    wrong = await quiz.record_answer(post.id, 3, wrong_choice(post), NOON + timedelta(minutes=1))
    assert (quick.correct, quick.points) == (True, daily_points(True, 5 * 60_000))
    assert quick.question == post.question  # the feedback explains the question answered
    assert (slow.correct, slow.points) == (True, CORRECT_POINTS)
    assert (wrong.correct, wrong.points) == (False, 0)


async def test_answers_are_refused_when_the_question_is_not_open(quiz: QuizStore) -> None:
    claimed = await quiz.claim_post(GUILD, DAY, choice(), CHANNEL, NOON)
    assert claimed is not None
    assert (await quiz.record_answer(claimed.id, 1, 0, NOON)).status is AnswerStatus.CLOSED
    post = await posted(quiz, DAY + timedelta(days=1))
    assert post.closes_at is not None
    assert (await quiz.record_answer(post.id, 1, 0, post.closes_at)).status is AnswerStatus.CLOSED
    assert (await quiz.record_answer(999, 1, 0, NOON)).status is AnswerStatus.UNKNOWN
    with pytest.raises(InvalidInput):
        await quiz.record_answer(post.id, 1, 4, NOON)


async def test_a_burst_reads_its_post_once_and_closing_still_applies(
    quiz: QuizStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = await posted(quiz)
    reads = 0
    real_post = quiz.post

    async def counted_post(post_id: int) -> QuizPost | None:
        nonlocal reads
        reads += 1
        return await real_post(post_id)

    monkeypatch.setattr(quiz, "post", counted_post)
    results = await asyncio.gather(
        *(quiz.record_answer(post.id, member, 0, NOON + timedelta(minutes=1)) for member in range(1, 41))
    )
    assert all(r.status is AnswerStatus.RECORDED for r in results)
    assert reads == 1
    assert post.closes_at is not None
    # What was read once does not keep a post open: the database decides.
    late = await quiz.record_answer(post.id, 99, 0, post.closes_at)
    assert late.status is AnswerStatus.CLOSED
    assert await quiz.mark_revealed(post.id, post.closes_at)
    assert (await quiz.record_answer(post.id, 98, 0, NOON)).status is AnswerStatus.CLOSED


async def test_a_second_click_after_closing_still_shows_the_first_answer(quiz: QuizStore) -> None:
    post = await posted(quiz)
    await quiz.record_answer(post.id, 1, 2, NOON + timedelta(minutes=1))
    late = await quiz.record_answer(post.id, 1, 3, NOON + timedelta(days=2))
    assert late.status is AnswerStatus.ALREADY_ANSWERED
    assert late.choice == 2


async def test_an_answer_while_another_process_holds_the_database_is_refused_politely(
    tmp_path: Path,
) -> None:
    async with Database.open(tmp_path / "quiz.db", busy_timeout_ms=50) as db:
        quiz = QuizStore(db)
        post = await posted(quiz)
        other = sqlite3.connect(db.path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreBusy, match="busy"):
                await quiz.record_answer(post.id, 1, 0, NOON + timedelta(minutes=1))
        finally:
            other.execute("ROLLBACK")
            other.close()
        # Nothing was half-written: the member can still answer, once.
        assert (await quiz.record_answer(post.id, 1, 0, NOON)).status is AnswerStatus.RECORDED
        assert (await quiz.record_answer(post.id, 1, 1, NOON)).status is AnswerStatus.ALREADY_ANSWERED


# --- reveal --------------------------------------------------------------------------------------


async def test_closed_posts_are_revealed_once_with_counts_and_the_fastest(quiz: QuizStore) -> None:
    post = await posted(quiz)
    right, wrong = right_choice(post), wrong_choice(post)
    for user, seconds, pick in [
        (1, 90, right),
        (2, 30, right),
        (3, 10, wrong),
        (4, 60, right),
        (5, 45, right),
    ]:
        await quiz.record_answer(post.id, user, pick, NOON + timedelta(seconds=seconds))
    assert await quiz.posts_due_for_reveal(NOON + timedelta(hours=23)) == []
    due = await quiz.posts_due_for_reveal(NOON + timedelta(days=1))
    assert [p.id for p in due] == [post.id]
    summary = await quiz.reveal_summary(post.id, fastest=3)
    assert summary is not None
    assert summary.counts[right] == 4
    assert summary.counts[wrong] == 1
    assert summary.total == 5
    assert [(f.user_id, f.elapsed_ms) for f in summary.fastest] == [(2, 30_000), (5, 45_000), (4, 60_000)]
    assert summary.shares()[right] == pytest.approx(0.8)
    assert await quiz.mark_revealed(post.id, NOON + timedelta(days=1))
    assert not await quiz.mark_revealed(post.id, NOON + timedelta(days=1))
    assert await quiz.posts_due_for_reveal(NOON + timedelta(days=2)) == []


# --- scores --------------------------------------------------------------------------------------


async def test_the_leaderboard_ranks_ties_fairly_within_the_period(quiz: QuizStore) -> None:
    old = await posted(quiz, DAY - timedelta(days=10), at=NOON - timedelta(days=10))
    await quiz.record_answer(old.id, 4, right_choice(old), NOON - timedelta(days=10))
    post = await posted(quiz)
    slow = NOON + timedelta(hours=12)  # no speed bonus: 10 points for a right answer
    for user, pick in [
        (1, right_choice(post)),
        (2, right_choice(post)),
        (3, right_choice(post)),
        (4, wrong_choice(post)),
    ]:
        await quiz.record_answer(post.id, user, pick, slow)
    quick = await posted(quiz, DAY + timedelta(days=1), at=NOON + timedelta(days=1))
    await quiz.record_answer(quick.id, 1, right_choice(quick), NOON + timedelta(days=1, hours=12))
    board = await quiz.leaderboard(GUILD, since=DAY)
    assert [(e.rank, e.user_id, e.points) for e in board.entries] == [
        (1, 1, 20),
        (2, 2, 10),
        (2, 3, 10),
        (4, 4, 0),
    ]
    everything = await quiz.leaderboard(GUILD)
    entry = everything.entry_for(4)
    assert entry is not None
    assert entry.points == daily_points(True, 0)
    assert entry.answered == 2
    assert (await quiz.leaderboard(OTHER_GUILD)).entries == ()
    assert board.page(1, 2) == board.entries[1:3]


async def test_member_stats_count_streaks_of_daily_questions(quiz: QuizStore) -> None:
    # Correct, correct, missed, correct, wrong, correct, correct; then today's open and unanswered.
    pattern = "CC-CWCC"
    for offset, mark in enumerate(pattern):
        day = DAY + timedelta(days=offset)
        at = NOON + timedelta(days=offset)
        post = await posted(quiz, day, at=at)
        if mark != "-":
            pick = right_choice(post) if mark == "C" else wrong_choice(post)
            await quiz.record_answer(post.id, 9, pick, at + timedelta(minutes=1))
    today = NOON + timedelta(days=len(pattern))
    await posted(quiz, DAY + timedelta(days=len(pattern)), at=today)
    stats = await quiz.member_stats(GUILD, 9, today + timedelta(hours=1))
    assert (stats.answered, stats.correct) == (6, 5)
    assert stats.accuracy == pytest.approx(5 / 6)
    assert (stats.current_streak, stats.best_streak) == (2, 2)
    assert stats.points == 5 * daily_points(True, 60_000)
    # Once today's question closes unanswered, the streak is broken.
    later = await quiz.member_stats(GUILD, 9, today + timedelta(days=1))
    assert later.current_streak == 0
    assert later.best_streak == 2
    nobody = await quiz.member_stats(GUILD, 404, today)
    assert nobody.accuracy is None
    assert nobody.best_streak == 0


async def test_forget_me_deletes_a_members_answers_in_one_server_only(quiz: QuizStore) -> None:
    here = await posted(quiz)
    there = await posted(quiz, guild=OTHER_GUILD)
    for post in (here, there):
        await quiz.record_answer(post.id, 9, right_choice(post), NOON)
        await quiz.record_answer(post.id, 10, right_choice(post), NOON)
    await quiz.start_practice(GUILD, 9, question(), NOON)
    report = await quiz.forget_member(GUILD, 9)
    assert (report.answers, report.practice) == (1, 1)
    assert (await quiz.member_stats(GUILD, 9, NOON)).answered == 0
    assert (await quiz.member_stats(OTHER_GUILD, 9, NOON)).answered == 1
    assert (await quiz.member_stats(GUILD, 10, NOON)).answered == 1


# --- practice ------------------------------------------------------------------------------------


async def test_practice_is_answered_once_and_kept_off_the_leaderboard(quiz: QuizStore) -> None:
    shown = await quiz.start_practice(GUILD, 9, question("when:practice"), NOON)
    right = shown.question.correct_index
    first = await quiz.answer_practice(shown.id, 9, right, NOON)
    again = await quiz.answer_practice(shown.id, 9, (right + 1) % 4, NOON)
    stranger = await quiz.answer_practice(shown.id, 10, right, NOON)
    assert (first.status, first.correct) == (AnswerStatus.RECORDED, True)
    assert (again.status, again.choice) == (AnswerStatus.ALREADY_ANSWERED, right)
    assert stranger.status is AnswerStatus.UNKNOWN
    assert (await quiz.leaderboard(GUILD)).entries == ()
    stats = await quiz.member_stats(GUILD, 9, NOON)
    assert (stats.answered, stats.practice_answered, stats.practice_correct) == (0, 1, 1)
    assert await quiz.recent_practice_keys(GUILD, 9) == {"when:practice"}
    assert await quiz.practice_round(shown.id) == shown


async def test_concurrent_practice_clicks_record_one_answer(quiz: QuizStore) -> None:
    shown = await quiz.start_practice(GUILD, 9, question(), NOON)
    results = await asyncio.gather(*(quiz.answer_practice(shown.id, 9, i % 4, NOON) for i in range(50)))
    assert sum(r.status is AnswerStatus.RECORDED for r in results) == 1


# --- hand-written questions held back after an edit ----------------------------------------------


async def test_a_hand_written_question_is_held_back_after_its_fact_is_edited(
    quiz: QuizStore, database: Database
) -> None:
    facts = FactStore(database)
    fact = parse_fact(fact_record("summit-x", summary="Met once."))
    await facts.seed([fact], "v1")
    links = {"who-met": "summit-x", "other": "missing-fact"}
    assert await quiz.held_back_questions(links) == set()  # dataset facts are reviewed in the repository

    edited = parse_fact(fact_record("summit-x", summary="Met twice."))
    await FactEditStore(database).edit_fact(edited, base_revision=1, editor=Editor(42, "mod"))
    assert await quiz.held_back_questions(links) == {"who-met"}
    queue = await quiz.review_queue(links)
    assert [(i.question_id, i.fact_revision, i.reviewed_revision) for i in queue] == [("who-met", 2, None)]

    await quiz.mark_reviewed("who-met", "summit-x", 2, reviewer_id=42, now=NOON)
    assert await quiz.held_back_questions(links) == set()

    again = parse_fact(fact_record("summit-x", summary="Met three times."))
    await FactEditStore(database).edit_fact(again, base_revision=2, editor=Editor(42, "mod"))
    assert await quiz.held_back_questions(links) == {"who-met"}
    await quiz.mark_reviewed("who-met", "summit-x", 3, reviewer_id=42, now=NOON)
    assert await quiz.held_back_questions(links) == set()

    # Linked to another edited fact in the file, the question needs a review of that fact.
    await FactEditStore(database).add_fact(parse_fact(fact_record("summit-y")), Editor(42, "mod"))
    assert await quiz.held_back_questions({"who-met": "summit-y"}) == {"who-met"}


async def test_the_longest_question_id_the_file_allows_can_be_reviewed(
    quiz: QuizStore, database: Database
) -> None:
    await FactStore(database).seed([parse_fact(fact_record("summit-x"))], "v1")
    longest = "q" * MAX_QUESTION_ID
    await quiz.mark_reviewed(longest, "summit-x", 1, reviewer_id=None, now=NOON)
    assert not await quiz.held_back_questions({longest: "summit-x"})


async def test_reviews_must_name_a_real_revision(quiz: QuizStore, database: Database) -> None:
    await FactStore(database).seed([parse_fact(fact_record("summit-x"))], "v1")
    with pytest.raises(NotFound):
        await quiz.mark_reviewed("q", "no-such-fact", 1, reviewer_id=None, now=NOON)
    with pytest.raises(InvalidInput):
        await quiz.mark_reviewed("q", "summit-x", 2, reviewer_id=None, now=NOON)


async def test_a_correction_must_name_a_real_revision_and_is_stored_with_its_review(
    quiz: QuizStore, database: Database
) -> None:
    await FactStore(database).seed([parse_fact(fact_record("summit-x"))], "v1")
    with pytest.raises(NotFound):
        await quiz.save_correction("q", "no-such-fact", 1, "{}", corrector_id=None, now=NOON)
    with pytest.raises(InvalidInput):
        await quiz.save_correction("q", "summit-x", 2, "{}", corrector_id=None, now=NOON)
    assert await quiz.question_corrections() == {}
    await quiz.save_correction("q", "summit-x", 1, '{"id": "q"}', corrector_id=42, now=NOON)
    await quiz.save_correction(
        "q", "summit-x", 1, '{"id": "q", "prompt": "Again?"}', corrector_id=42, now=NOON
    )
    assert await quiz.question_corrections() == {"q": '{"id": "q", "prompt": "Again?"}'}
    assert [i.question_id for i in await quiz.review_queue({"q": "summit-x"})] == []


async def test_held_back_questions_leave_the_pool(quiz: QuizStore, fact_store: FactStore, dataset) -> None:
    from bot.app.settings import DEFAULT_DATASET_DIR
    from bot.quiz.model import load_handwritten

    await fact_store.seed(dataset.facts, dataset.version)
    written = load_handwritten(DEFAULT_DATASET_DIR)
    target = written[0]
    fact = await fact_store.get_fact(target.fact_id)
    assert fact is not None
    changed = parse_fact(fact.content() | {"summary": fact.summary + " Edited."})
    await FactEditStore(quiz.db).edit_fact(changed, base_revision=fact.revision, editor=Editor(1, "mod"))
    held = await quiz.held_back_questions({w.id: w.fact_id for w in written})
    assert held == {target.id}
    current = await fact_store.all_facts()
    keys = {q.key for q in generate_questions(current, written, held)}
    assert target.key not in keys
    assert written[1].key in keys
