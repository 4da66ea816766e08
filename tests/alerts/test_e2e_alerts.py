"""End to end: alerts for changes of the record, through the emulator, with the outbox drained by the
bot's own poster (the background loop is stopped so each test decides when a tick happens, except
where a change from another process must be picked up on its own)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import discord
import pytest

from bot.alerts.store import CLAIM_LEASE
from bot.db.database import Database
from bot.facts.model.fact import Fact, parse_fact
from bot.facts.store import FactStore
from bot.moderation.store.edits import Editor
from tests.conftest import WatchEnv, fact_record
from tests.emulator.interactions import EmulatorUsageError
from tests.emulator.models import FORUM, Channel

MOD = Editor(1, "mod")
ICBM = {"systems": ["Hwasong-20"], "system_classes": ["ICBM"], "missiles": 1, "outcome": "success"}
SRBM = {"systems": ["KN-23"], "system_classes": ["SRBM"], "missiles": 2, "outcome": "success"}


def cog(watch: WatchEnv) -> Any:
    return watch.bot.get_cog("AlertsCog")


async def stop_loop(watch: WatchEnv) -> None:
    await cog(watch).stop_draining()


async def tick(watch: WatchEnv) -> list[Any]:
    return await cog(watch).poster.tick()


def alerts_in(watch: WatchEnv, channel: Channel) -> list[Any]:
    return [
        m
        for m in watch.emulator.messages(channel)
        if m.embeds and "DPRK Watch alert" in m.embeds[0].get("footer", {}).get("text", "")
    ]


def fact(fact_id: str, **overrides: Any) -> Fact:
    return parse_fact(fact_record(fact_id, **overrides))


def launch(fact_id: str, figures: dict[str, Any], **overrides: Any) -> Fact:
    return fact(fact_id, kind="missile_launch", title=f"Launch {fact_id}", figures=figures, **overrides)


async def subscribe(watch: WatchEnv, guild: Any, channel: Channel, **options: Any) -> Any:
    admin = watch.emulator.member(
        guild, f"admin-{guild.id}", permissions=discord.Permissions(manage_guild=True)
    )
    return await admin.slash("alerts subscribe", channel=channel, **options)


@pytest.fixture
async def two_servers(watch: WatchEnv) -> tuple[Any, Any]:
    """A second server with an #alerts channel, joined by the bot; the drain loop stopped."""
    other = watch.emulator.add_guild("Second server", channels=("alerts",))
    await watch.restart()
    await stop_loop(watch)
    return watch.guild, other


async def test_filters_in_two_servers_one_alert_per_subscription_per_change(
    watch: WatchEnv, two_servers: tuple[Any, Any]
) -> None:
    home, other = two_servers
    general, quiz, alerts = home.channel("general"), home.channel("quiz"), other.channel("alerts")
    resp = await subscribe(watch, home, general)
    assert "from now on" in resp.content
    await subscribe(watch, home, quiz, only="major")
    await subscribe(watch, other, alerts, only="talks")
    await tick(watch)
    assert not alerts_in(watch, general)  # the seeded record is not replayed

    edits = watch.bot.fact_edit_store
    await edits.add_fact(fact("alert-summit", date="2026-12-01"), MOD)
    await edits.add_fact(launch("alert-icbm", ICBM, date="2026-12-02"), MOD)
    await edits.add_fact(launch("alert-srbm", SRBM, date="2026-12-03"), MOD)
    await tick(watch)
    await tick(watch)  # nothing twice
    assert [m.embeds[0]["title"] for m in alerts_in(watch, general)] == [
        "New: Title of alert-summit",
        "New: Launch alert-icbm",
        "New: Launch alert-srbm",
    ]
    assert [m.embeds[0]["title"] for m in alerts_in(watch, quiz)] == ["New: Launch alert-icbm"]
    assert [m.embeds[0]["title"] for m in alerts_in(watch, alerts)] == ["New: Title of alert-summit"]

    # A correction of the date, title or figures is announced with what changed; of the summary, not.
    current = await watch.bot.fact_store.get_fact("alert-summit")
    assert current is not None
    await edits.edit_fact(
        fact("alert-summit", date="2026-12-04"), base_revision=current.revision, editor=MOD, reason="JCS"
    )
    await edits.edit_fact(
        fact("alert-summit", date="2026-12-04", summary="Reworded."),
        base_revision=current.revision + 1,
        editor=MOD,
    )
    icbm = await watch.bot.fact_store.get_fact("alert-icbm")
    assert icbm is not None
    await edits.edit_fact(
        launch("alert-icbm", ICBM | {"missiles": 2}, date="2026-12-02"),
        base_revision=icbm.revision,
        editor=MOD,
    )
    await edits.retire_fact("alert-srbm", editor=MOD, reason="Duplicate of another launch")
    await tick(watch)
    general_alerts = alerts_in(watch, general)[3:]
    assert [m.embeds[0]["title"] for m in general_alerts] == [
        "Corrected: Title of alert-summit",
        "Corrected: Launch alert-icbm",
        "Retired: Launch alert-srbm",
    ]
    assert "~~1 December 2026~~ → 4 December 2026" in general_alerts[0].embeds[0]["description"]
    assert "**Missiles**: ~~1~~ → 2" in general_alerts[1].embeds[0]["description"]
    assert "Duplicate of another launch" in general_alerts[2].embeds[0]["description"]
    assert [m.embeds[0]["title"] for m in alerts_in(watch, quiz)][1:] == ["Corrected: Launch alert-icbm"]
    assert [m.embeds[0]["title"] for m in alerts_in(watch, alerts)][1:] == [
        "Corrected: Title of alert-summit"
    ]
    # A single alert has a button to the full card; nobody was pinged.
    assert general_alerts[0].components
    assert all(m.allowed_mentions and not m.allowed_mentions.get("parse") for m in alerts_in(watch, general))


async def test_a_restart_in_the_middle_of_a_fan_out_still_delivers_exactly_once(
    watch: WatchEnv, two_servers: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, other = two_servers
    channels = [home.channel("general"), home.channel("quiz"), other.channel("alerts")]
    for channel in channels:
        await subscribe(watch, home if channel.guild_id == home.id else other, channel)
    await watch.bot.fact_edit_store.add_fact(fact("alert-restart"), MOD)
    store, now = watch.bot.alert_store, watch.clock.now()
    await store.plan(now)
    first, second, third = await store.due_deliveries(now)
    # The process claims the first (and dies before sending it), sends the second (and dies before
    # recording it); the third was never touched.
    assert await store.claim(first, now) is not None

    async def crash(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "mark_sent", crash)
    with pytest.raises(RuntimeError):
        await cog(watch).poster.deliver(second, now)
    monkeypatch.undo()
    assert [len(alerts_in(watch, c)) for c in channels] == [0, 1, 0]

    await watch.restart()
    await stop_loop(watch)
    await tick(watch)  # the third at once; the two claims wait out their lease
    assert [len(alerts_in(watch, c)) for c in channels] == [0, 1, 1]
    watch.clock.set(now + CLAIM_LEASE + timedelta(seconds=1))
    await tick(watch)
    await tick(watch)
    assert [len(alerts_in(watch, c)) for c in channels] == [1, 1, 1]
    delivered = [await watch.bot.alert_store.delivery(d) for d in (first, second, third)]
    assert [d.state.value for d in delivered if d is not None] == ["sent"] * 3


async def test_an_import_by_another_process_is_one_digest_posted_within_seconds(watch: WatchEnv) -> None:
    general = watch.guild.channel("general")
    await subscribe(watch, watch.guild, general)
    await subscribe(watch, watch.guild, watch.guild.channel("quiz"), only="major")
    facts = [fact(f"imported-{n}", title=f"Imported summit {n}") for n in range(5)]
    facts.append(launch("imported-icbm", ICBM))
    # The command line's `facts import`: its own connection, its own transaction.
    async with Database.open(watch.settings.database_path) as other_process:
        await FactStore(other_process).import_facts(facts, editor_id=None, editor_name="cli", dry_run=False)
    digest = await watch.emulator.wait_for_message(general, lambda m: bool(m.embeds), within=15)
    assert digest.embeds[0]["title"] == "6 changes to the record from an import"
    assert "Imported summit 4" in digest.embeds[0]["description"]
    # The major-only channel is told about the one major change, as a single alert.
    icbm = await watch.emulator.wait_for_message(
        watch.guild.channel("quiz"), lambda m: bool(m.embeds), within=15
    )
    assert icbm.embeds[0]["title"] == "New: Launch imported-icbm"
    await asyncio.sleep(0.2)
    assert len(alerts_in(watch, general)) == 1


async def test_a_dataset_seed_of_many_corrections_is_one_digest(watch: WatchEnv, dataset: Any) -> None:
    await stop_loop(watch)
    general = watch.guild.channel("general")
    await subscribe(watch, watch.guild, general)
    changed = [Fact(**{**vars(f), "title": f.title + " (corrected)"}) for f in dataset.facts[:12]] + list(
        dataset.facts[12:]
    )
    await FactStore(watch.bot.db).seed(changed, "test-version")
    await tick(watch)
    [digest] = alerts_in(watch, general)
    assert digest.embeds[0]["title"] == "12 changes to the record from the dataset"
    assert "12 corrected" in digest.embeds[0]["description"]


async def test_the_role_ping_is_limited_to_the_role(watch: WatchEnv) -> None:
    await stop_loop(watch)
    general = watch.guild.channel("general")
    role = watch.guild.add_role("alerts", mentionable=True)
    await subscribe(watch, watch.guild, general, role=role)
    await watch.bot.fact_edit_store.add_fact(fact("alert-ping"), MOD)
    await tick(watch)
    [alert] = alerts_in(watch, general)
    assert alert.content == f"<@&{role.id}>"
    allowed = alert.allowed_mentions
    assert allowed is not None
    assert allowed["parse"] == []  # no @everyone, no users, no other roles
    assert [int(r) for r in allowed["roles"]] == [role.id]
    assert not allowed.get("users")
    # This ping, and only it, was meant: take it out of the no-pings check at teardown.
    log = watch.emulator.mention_log
    log[:] = [record for record in log if record.message_id != alert.id]


async def test_everyone_is_never_the_alert_role(watch: WatchEnv) -> None:
    resp = await subscribe(watch, watch.guild, watch.guild.channel("general"), role=watch.guild.everyone)
    assert "never ping @everyone" in resp.content
    assert await watch.bot.alert_store.subscriptions(watch.guild.id) == []


async def test_a_lost_permission_is_reported_once_and_pauses_after_three_failures(watch: WatchEnv) -> None:
    await stop_loop(watch)
    general, audit = watch.guild.channel("general"), watch.guild.channel("audit")
    await watch.bot.moderation_store.set_audit_channel(watch.guild.id, audit.id)
    await subscribe(watch, watch.guild, general)
    await subscribe(watch, watch.guild, watch.guild.channel("quiz"))
    watch.guild.set_overwrite(
        general, watch.guild.everyone, deny=discord.Permissions(send_messages=True).value
    )
    for n in range(4):
        await watch.bot.fact_edit_store.add_fact(fact(f"alert-lost-{n}"), MOD)
        await tick(watch)
        await tick(watch)
    reports = [m for m in watch.emulator.messages(audit) if "could not be posted" in m.content]
    assert len(reports) == 1
    assert general.mention in reports[0].content
    [paused, working] = await watch.bot.alert_store.subscriptions(watch.guild.id)
    assert paused.paused
    assert not working.paused
    assert len(alerts_in(watch, watch.guild.channel("quiz"))) == 4  # nothing else stops
    sends = [r for r in watch.emulator.requests("POST /channels/{channel_id}/messages") if r.status == 403]
    assert len(sends) == 3  # the fourth change was not even tried
    listing = await watch.moderator("admin").slash("alerts list")
    assert "Paused" in listing.embeds[0]["description"]
    # Subscribing again resumes (without replaying what was missed).
    watch.guild.set_overwrite(general, watch.guild.everyone)
    await subscribe(watch, watch.guild, general)
    await watch.bot.fact_edit_store.add_fact(fact("alert-back"), MOD)
    await tick(watch)
    assert [m.embeds[0]["title"] for m in alerts_in(watch, general)] == ["New: Title of alert-back"]


async def test_commands_are_for_managers_and_list_unsubscribe_and_test_work(watch: WatchEnv) -> None:
    await stop_loop(watch)
    general = watch.guild.channel("general")
    member = watch.member("someone")
    with pytest.raises(EmulatorUsageError, match="does not show /alerts"):
        await member.slash("alerts list")
    watch.emulator.allow_command(watch.guild, "alerts", member.id)  # an admin shows it anyway
    resp = await member.slash("alerts subscribe", channel=general)
    assert "Manage Server" in resp.content
    assert await watch.bot.alert_store.subscriptions(watch.guild.id) == []
    admin = watch.moderator("admin")
    assert "No channel here receives alerts" in (await admin.slash("alerts list")).content
    await admin.slash("alerts subscribe", channel=general, only="sanctions", thread=False)
    listing = await admin.slash("alerts list")
    assert f"{general.mention}: sanctions" in listing.embeds[0]["description"]
    resp = await admin.slash("alerts test", channel=general)
    assert "Posted a test alert" in resp.content
    assert watch.emulator.messages(general)[-1].embeds[0]["title"] == "Test alert"
    assert "No more alerts" in (await admin.slash("alerts unsubscribe", channel=general)).content
    assert "does not receive alerts" in (await admin.slash("alerts unsubscribe", channel=general)).content
    await watch.bot.fact_edit_store.add_fact(fact("alert-nobody", kind="un_body", figures={}), MOD)
    await tick(watch)
    assert not alerts_in(watch, general)


async def test_a_channel_the_bot_cannot_post_in_is_refused(watch: WatchEnv) -> None:
    general = watch.guild.channel("general")
    watch.guild.set_overwrite(general, watch.guild.everyone, deny=discord.Permissions(embed_links=True).value)
    resp = await subscribe(watch, watch.guild, general)
    assert "Embed Links" in resp.content
    assert "Nothing was saved" in resp.content


async def test_thread_true_opens_a_thread_under_each_alert(watch: WatchEnv) -> None:
    await stop_loop(watch)
    general = watch.guild.channel("general")
    resp = await subscribe(watch, watch.guild, general, thread=True)
    assert "each with a thread" in resp.content
    await watch.bot.fact_edit_store.add_fact(fact("alert-thread"), MOD)
    await tick(watch)
    [alert] = alerts_in(watch, general)
    thread = watch.guild.channels[alert.id]  # a thread started from a message shares its id
    assert thread.parent_id == general.id
    assert thread.name == "New: Title of alert-thread"


def posts_in(watch: WatchEnv, forum: Channel) -> list[tuple[Channel, Any]]:
    """Each post in `forum`: its thread and first message (which shares the thread's id)."""
    guild = watch.emulator.state.guild_of(forum)
    threads = [c for c in guild.channels.values() if c.parent_id == forum.id]
    return [(t, next(m for m in watch.emulator.messages(t) if m.id == t.id)) for t in threads]


async def test_a_forum_gets_a_post_per_alert_once_even_after_a_crash(
    watch: WatchEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    await stop_loop(watch)
    forum = watch.guild.add_channel("reports", type=FORUM)
    watchers = watch.guild.add_role("Watchers", mentionable=True)
    await asyncio.sleep(0.05)  # the bot learns of the new channel over the gateway
    resp = await subscribe(watch, watch.guild, forum, role=watchers, thread=True)
    assert "each as a post of its own" in resp.content
    await watch.bot.fact_edit_store.add_fact(fact("alert-forum"), MOD)
    await tick(watch)
    [(thread, first)] = posts_in(watch, forum)
    assert thread.name == "New: Title of alert-forum"
    assert first.embeds[0]["title"] == "New: Title of alert-forum"
    assert first.content == f"<@&{watchers.id}>"
    assert first.allowed_mentions is not None
    assert first.allowed_mentions["parse"] == []
    assert [int(r) for r in first.allowed_mentions["roles"]] == [watchers.id]
    assert first.components  # the button to the full card

    # A crash after posting and before recording it: the retry finds the post instead of posting again.
    await watch.bot.fact_edit_store.add_fact(fact("alert-forum-2"), MOD)
    store, now = watch.bot.alert_store, watch.clock.now()
    await store.plan(now)
    [delivery] = await store.due_deliveries(now)

    async def crash(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "mark_sent", crash)
    with pytest.raises(RuntimeError):
        await cog(watch).poster.deliver(delivery, now)
    monkeypatch.undo()
    watch.clock.set(now + CLAIM_LEASE + timedelta(seconds=1))
    await tick(watch)
    await tick(watch)
    assert sorted(t.name for t, _ in posts_in(watch, forum)) == [
        "New: Title of alert-forum",
        "New: Title of alert-forum-2",
    ]
    recorded = await store.delivery(delivery)
    assert recorded is not None
    assert recorded.state.value == "sent"

    # /alerts test posts in the forum too, and /alerts list shows the forum.
    admin = watch.emulator.member(watch.guild, f"admin-{watch.guild.id}")
    await admin.slash("alerts test", channel=forum)
    assert "Test alert" in [t.name for t, _ in posts_in(watch, forum)]
    listing = await admin.slash("alerts list")
    assert forum.mention in listing.embeds[0]["description"]
    # The alerts' pings of the Watchers role were meant: out of the no-pings check at teardown.
    log = watch.emulator.mention_log
    log[:] = [record for record in log if record.content != f"<@&{watchers.id}>"]
