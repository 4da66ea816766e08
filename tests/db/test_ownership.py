"""Scheduled work is selected per shard in SQL with the bot's own rule: each process's queries return its
servers and only those, and a limit is never filled with another process's servers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.alerts.model import AlertFilter
from bot.alerts.store import AlertStore
from bot.core.shards import ShardPlan
from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.moderation.store.edits import Editor, FactEditStore
from bot.quiz.model import QuizSchedule
from bot.quiz.store import QuizStore
from tests.conftest import fact_record
from tests.quiz.test_quiz_store import posted

NOON = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
SHARDS = 3
PROCESSES = [ShardPlan(SHARDS, (shard,)) for shard in range(SHARDS)]


def server_on(shard: int, n: int) -> int:
    """A server id Discord routes to `shard` of SHARDS (its creation millisecond is `shard` modulo SHARDS)."""
    return ((SHARDS * (1_000_000 + n) + shard) << 22) | n


SERVERS = [server_on(shard, n) for n in range(4) for shard in range(SHARDS)]


def test_the_servers_are_where_the_tests_say() -> None:
    assert [(server_on(shard, 5) >> 22) % SHARDS for shard in range(SHARDS)] == [0, 1, 2]


async def test_each_process_schedules_exactly_the_servers_it_owns(database: Database) -> None:
    quiz = QuizStore(database)
    for server in SERVERS:
        await quiz.configure(server, server + 1, QuizSchedule(time(9), "UTC"), NOON)
    everyone = [g.settings.guild_id for g in await quiz.scheduled_guilds()]
    assert everyone == sorted(SERVERS)
    seen: list[int] = []
    for plan in PROCESSES:
        mine = [g.settings.guild_id for g in await quiz.scheduled_guilds(shards=plan)]
        assert mine == [server for server in everyone if plan.owns(server)]  # SQL agrees with Python
        assert len(mine) == 4
        seen += mine
    assert sorted(seen) == everyone  # every server, exactly once
    assert [g.settings.guild_id for g in await quiz.scheduled_guilds(shards=ShardPlan(SHARDS, (0, 2)))] == [
        s for s in everyone if (s >> 22) % SHARDS in (0, 2)
    ]


async def test_a_reveal_limit_is_never_filled_with_another_process_posts(database: Database) -> None:
    quiz = QuizStore(database)
    # Shard 1's servers have the oldest posts: by age alone they would fill the first page.
    others = [await posted(quiz, date(2024, 6, 1), guild=server_on(1, n)) for n in range(4)]
    ours = [await posted(quiz, date(2024, 6, 2), guild=server_on(0, n)) for n in range(2)]
    due_at = NOON + timedelta(days=2)
    assert [p.id for p in await quiz.posts_due_for_reveal(due_at, limit=2)] == [others[0].id, others[1].id]
    assert [p.id for p in await quiz.posts_due_for_reveal(due_at, limit=2, shards=PROCESSES[0])] == [
        p.id for p in ours
    ]
    assert await quiz.posts_due_for_reveal(due_at, shards=PROCESSES[2]) == []
    await quiz.record_answer(ours[0].id, 7, 0, NOON + timedelta(minutes=1))
    await quiz.record_answer(others[0].id, 7, 0, NOON + timedelta(minutes=1))
    counting_at = NOON + timedelta(hours=1)
    counts = await quiz.posts_with_new_answers(counting_at, timedelta(seconds=10), shards=PROCESSES[0])
    assert [(post.id, answered) for post, answered in counts] == [(ours[0].id, 1)]


async def test_each_process_delivers_the_alerts_of_its_servers(database: Database) -> None:
    alerts = AlertStore(database)
    subscriptions = {
        server: await alerts.subscribe(server, server + 1, AlertFilter.EVERYTHING, None, False, NOON)
        for server in SERVERS
    }
    await FactEditStore(database).add_fact(parse_fact(fact_record("owned-alert")), Editor(1, "mod"))
    assert await alerts.plan(NOON) == len(SERVERS)  # planning is shared: every subscription at once
    delivered: list[int] = []
    for plan in PROCESSES:
        due = await alerts.due_deliveries(NOON, shards=plan)
        claimed = [await alerts.claim(delivery, NOON) for delivery in due]
        servers = [d.subscription.guild_id for d in claimed if d is not None]
        assert sorted(servers) == sorted(s for s in SERVERS if plan.owns(s))
        delivered += servers
    assert sorted(delivered) == sorted(subscriptions)
