"""Security: who may change what (every moderator command and setting, from every role), per-member
cooldowns, no pings whatever members type, and the token kept out of logs, exports and backups."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.app.client import SUGGESTIONS_PER_MEMBER
from cogs.lookup import SEARCH_BURST
from tests.conftest import WatchEnv
from tests.emulator.actors import Actor
from tests.emulator.messages import Upload
from tests.fuzz_settings import FACT_TABLES, database_digest

IMPORT_FILE = Upload("facts.json", b'[{"id": "x"}]')


def every_privileged_command(watch: WatchEnv) -> list[tuple[str, dict[str, Any]]]:
    """Every /factmod, /quizadmin and /settings sub-command, with options that would change something."""
    return [
        ("factmod add", {"kind": "summit"}),
        ("factmod edit", {"fact": "nuclear-test-6"}),
        ("factmod retire", {"fact": "nuclear-test-6", "reason": "testing the matrix"}),
        ("factmod restore", {"fact": "nuclear-test-6"}),
        ("factmod history", {"fact": "nuclear-test-6"}),
        ("factmod revert", {"fact": "nuclear-test-6", "revision": 1}),
        ("factmod import", {"file": IMPORT_FILE}),
        ("factmod export", {}),
        ("factmod suggestions", {}),
        ("factmod review-questions", {}),
        ("quizadmin setup", {"channel": watch.guild.channel("quiz"), "time": "09:00", "timezone": "UTC"}),
        ("quizadmin disable", {}),
        ("quizadmin post", {}),
        ("quizadmin skip", {}),
        ("settings moderator-role", {"role": watch.guild.everyone}),
        ("settings audit-channel", {"channel": watch.guild.channel("audit")}),
    ]


def shown_everything(watch: WatchEnv, actor: Actor) -> Actor:
    """An admin override shows the moderator commands to this member (Discord's Integrations page)."""
    for group in ("factmod", "quizadmin", "settings"):
        watch.emulator.allow_command(watch.guild, group, actor.id)
    return actor


@pytest.mark.parametrize(
    "who", ["member", "member with an unrelated role", "moderator role before it is set"]
)
async def test_no_privileged_command_works_for_a_non_moderator(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture, who: str
) -> None:
    role = watch.guild.add_role("Fact checkers" if "moderator" in who else "Fans", permissions=0)
    actor = shown_everything(
        watch, watch.emulator.member(watch.guild, "eve", roles=[] if who == "member" else [role])
    )
    before = database_digest(watch.settings.database_path, (*FACT_TABLES, "pending_imports", "fact_drafts"))
    for command, options in every_privileged_command(watch):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="bot.kit.checks"):
            resp = await actor.slash(command, options=options)
        assert resp.ephemeral, f"/{command} answered {resp.content!r}"
        assert resp.modal is None, f"/{command} opened a form"
        assert not resp.attachments, f"/{command} sent a file"
        assert any("Refused" in r.getMessage() and str(actor.id) in r.getMessage() for r in caplog.records), (
            f"/{command}: the refusal was not logged"
        )
    assert (
        database_digest(watch.settings.database_path, (*FACT_TABLES, "pending_imports", "fact_drafts"))
        == before
    )


async def test_the_moderator_role_edits_facts_and_runs_the_quiz_but_not_the_settings(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture
) -> None:
    role = watch.guild.add_role("Fact checkers", permissions=0)
    await watch.moderator("admin").slash("settings moderator-role", role=role)
    checker = shown_everything(watch, watch.emulator.member(watch.guild, "checker", roles=[role]))
    for command, options in every_privileged_command(watch):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="bot.kit.checks"):
            resp = await checker.slash(command, options=options)
        refused = any("Refused" in r.getMessage() for r in caplog.records)
        assert refused == command.startswith("settings"), f"/{command}: {resp.content!r}"
    assert (await watch.bot.moderation_store.guild_settings(watch.guild.id)).moderator_role_id == role.id


async def test_search_bursts_are_slowed_down_politely(watch: WatchEnv) -> None:
    alice, bob = watch.member("alice"), watch.member("bob")
    rate, _ = SEARCH_BURST
    for _ in range(rate):
        assert (await alice.slash("search", query="sixth nuclear test")).embeds
    refused = await alice.slash("search", query="sixth nuclear test")
    assert refused.ephemeral
    assert "Slow down a little" in refused.content
    assert (await bob.slash("search", query="sixth nuclear test")).embeds  # others are not affected


async def test_suggestions_are_limited_per_member_before_the_form_opens(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    rate, _ = SUGGESTIONS_PER_MEMBER
    card = await alice.slash("fact", fact="dmz-meeting-2019")
    for n in range(rate):
        form = await card.click("Suggest a correction")
        thanks = await form.submit_modal({"suggestion": f"Suggestion number {n} with a source."})
        assert "moderators' queue" in thanks.content
    refused = await card.click("Suggest a correction")
    assert refused.modal is None
    assert "please try again in" in refused.content
    _, total = await watch.bot.moderation_store.open_suggestions(limit=10)
    assert total == rate
    other = await card.click("Suggest a correction", by=watch.member("bob"))
    assert other.modal is not None


async def test_nothing_a_member_or_a_fact_contains_can_ping(watch: WatchEnv) -> None:
    role = watch.guild.add_role("Everyone who matters", permissions=0)
    payload = f"@everyone @here <@&{role.id}> <@{watch.member('alice').id}>"
    mallory = watch.member("mallory")
    mallory.user.global_name = payload
    mod = watch.moderator()
    await mod.slash("settings audit-channel", channel=watch.guild.channel("audit"))
    record = {
        "id": "ping-summit",
        "kind": "summit",
        "title": f"Summit {payload}",
        "date": "2031-01-01",
        "summary": payload,
        "body": payload,
        "aliases": [payload[:100]],
        "figures": {"participants": ["US", payload[:50]]},
        "sources": [{"url": "https://example.org/p", "publisher": payload}],
    }
    dry = await mod.slash("factmod import", file=Upload("ping.json", json.dumps([record]).encode()))
    await (await dry.click("Confirm")).wait_for_edit()
    card = await mallory.slash("fact", fact="ping-summit")
    form = await card.click("Suggest a correction")
    await form.submit_modal({"suggestion": payload})
    await mod.slash("factmod suggestions")
    await mod.slash("factmod history", fact="ping-summit")
    await mod.slash("factmod retire", fact="ping-summit", reason=payload)
    await mallory.slash("search", query="Summit everyone here")
    audit = watch.guild.channel("audit")
    await watch.emulator.wait_for_message(audit, lambda m: "ping-summit" in json.dumps(m.embeds))
    assert len(watch.emulator.mention_log) >= 8  # every write above was checked
    watch.emulator.assert_no_pings()


async def test_the_token_never_appears_in_logs_exports_or_backups(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    token = watch.emulator.token
    mod = watch.moderator()
    with caplog.at_level(logging.DEBUG):
        await watch.restart()  # logging in, syncing, READY
        export = await mod.slash("factmod export")
        watch.emulator.faults.fail(
            "POST /interactions/{interaction_id}/{interaction_token}/callback", 400, times=1
        )
        await mod.slash("search", query="sixth nuclear test", wait=False)
        watch.emulator.faults.clear()
        await watch.bot.db.backup(tmp_path / "backup.db")
    logged = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in caplog.records
    )
    assert caplog.records
    assert token not in logged
    assert token.encode() not in export.attachments[0].data
    assert token.encode() not in (tmp_path / "backup.db").read_bytes()
