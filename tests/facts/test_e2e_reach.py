"""End to end through the emulator: where the lookups reach (issue #21). User installs and server
installs, DMs and group DMs, and the "Look up in DPRK Watch" message command."""

from __future__ import annotations

import pytest

from tests.conftest import PUBLIC_COMMANDS, WatchEnv
from tests.emulator.errors import ApiError
from tests.emulator.interactions import EmulatorUsageError

LOOKUPS = PUBLIC_COMMANDS | {"map"}
SERVER_ONLY = {"factmod", "settings", "alerts", "quizadmin", "quiz"}
LOOK_UP = "Look up in DPRK Watch"
GUILD_INSTALL, USER_INSTALL = 0, 1
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2


def _interaction_payload(resp) -> dict:
    return resp.record.payload


async def test_every_synced_command_says_where_it_can_be_installed_and_used(watch: WatchEnv) -> None:
    registered = {(c["name"], c["type"]): c for c in watch.emulator.registered_commands()}
    slash = {name for name, kind in registered if kind == 1}
    assert slash >= LOOKUPS | SERVER_ONLY
    for name in LOOKUPS:
        command = registered[(name, 1)]
        assert command["integration_types"] == [GUILD_INSTALL, USER_INSTALL], name
        assert command["contexts"] == [GUILD, BOT_DM, PRIVATE_CHANNEL], name
    for name in slash - LOOKUPS:
        command = registered[(name, 1)]
        assert command["integration_types"] == [GUILD_INSTALL], name
        assert command["contexts"] == [GUILD], name
    menu = registered[(LOOK_UP, 3)]
    assert menu["integration_types"] == [GUILD_INSTALL, USER_INSTALL]
    assert menu["contexts"] == [GUILD, BOT_DM, PRIVATE_CHANNEL]
    assert menu["description"] == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [("integration_types", [0, 2]), ("contexts", [3]), ("contexts", [0, 0]), ("integration_types", "0")],
)
async def test_the_emulator_refuses_unknown_installs_and_contexts_on_sync(
    watch: WatchEnv, field: str, value: object
) -> None:
    command = {"name": "probe", "description": "A probe", "type": 1, field: value}
    with pytest.raises(ApiError) as refused:
        watch.emulator.state.commands.bulk_overwrite(None, [command])
    assert refused.value.status == 400
    assert field in str(refused.value.body())


async def test_search_and_fact_in_the_bots_dm_through_a_user_install(watch: WatchEnv) -> None:
    dora = watch.emulator.user("dora")  # in none of the bot's servers; the app is on her account
    dm = dora.dm()
    resp = await dora.slash("search", in_channel=dm, query="when was the sixth nuclear test?")
    payload = _interaction_payload(resp)
    assert payload["context"] == BOT_DM
    assert payload["authorizing_integration_owners"] == {"0": "0", "1": str(dora.id)}
    assert "guild_id" not in payload
    assert "member" not in payload
    assert resp.embeds[0]["title"].startswith("Sixth nuclear test")
    assert [b["label"] for b in resp.buttons][:1] == ["Full details"]
    # The buttons under a DM answer: the card and the sources open; a correction needs a server.
    full = await resp.click("Full details")
    assert full.ephemeral
    assert "2375" in str(full.embeds[0])
    sources = await resp.click(next(b["label"] for b in resp.buttons if b["label"].startswith("All ")))
    assert sources.ephemeral
    assert "](http" in sources.embeds[0]["description"]
    suggest = await resp.click("Suggest a correction")
    assert suggest.ephemeral
    assert "inside a server" in suggest.content
    assert suggest.record.modal is None

    card = await dora.slash("fact", in_channel=dm, fact="unsc-2397")
    assert card.embeds[0]["title"].startswith("Resolution 2397")
    assert _interaction_payload(card)["context"] == BOT_DM
    watch.emulator.check()


async def test_lookups_in_a_group_dm_and_a_dm_between_users(watch: WatchEnv) -> None:
    dora = watch.emulator.user("dora")
    eve = watch.emulator.user("eve", installed=False)
    group = dora.group_dm(eve, name="arms control reading group")
    resp = await dora.slash("search", in_channel=group, query="Agreed Framework")
    payload = _interaction_payload(resp)
    assert payload["context"] == PRIVATE_CHANNEL
    assert payload["authorizing_integration_owners"] == {"1": str(dora.id)}
    assert resp.embeds
    assert not resp.ephemeral  # the group sees the answer
    timeline = await dora.slash("timeline", in_channel=dora.dm(eve), start="2017", end="2017")
    assert timeline.embeds
    # Eve has not added the app: Discord shows her none of its commands there.
    with pytest.raises(EmulatorUsageError, match="installed"):
        await eve.slash("search", in_channel=group, query="Agreed Framework")
    # Cooldowns work without a server: a flood of searches from a DM is refused politely.
    replies = [await dora.slash("search", in_channel=group, query="Hwasong-15") for _ in range(8)]
    assert any("Slow down" in (r.content or "") for r in replies)


async def test_server_only_commands_stay_out_of_dms(watch: WatchEnv) -> None:
    dora = watch.emulator.user("dora")
    for command, options in (("quiz leaderboard", {}), ("factmod history", {"fact": "unsc-2397"})):
        with pytest.raises(EmulatorUsageError, match="context"):
            await dora.slash(command, in_channel=dora.dm(), **options)


async def test_a_member_looks_up_a_message_in_a_server(watch: WatchEnv) -> None:
    alice, bob = watch.member("alice"), watch.member("bob")
    general = watch.guild.channel("general")
    said = bob.post(general, "Did anyone see that North Korea did its sixth nuclear test in 2017?")
    resp = await alice.message_command(LOOK_UP, said)
    assert resp.ephemeral
    assert resp.record.payload["data"]["target_id"] == str(said.id)
    assert resp.embeds[0]["title"].startswith("Sixth nuclear test")
    assert resp.buttons[0]["label"] == "Full details"
    full = await resp.click("Full details")
    assert full.ephemeral
    # Nothing public was written to the channel: only bob's message.
    assert [m.id for m in watch.emulator.messages(general)] == [said.id]
    # A card without text (the bot's own answer) is looked up by its title and description.
    card = await bob.slash("fact", fact="unsc-2397", in_channel=general)
    again = await alice.message_command(LOOK_UP, card)
    assert again.ephemeral
    assert again.embeds[0]["title"].startswith("Resolution 2397")


async def test_a_message_the_record_does_not_cover_is_answered_privately(watch: WatchEnv) -> None:
    alice, bob = watch.member("alice"), watch.member("bob")
    general = watch.guild.channel("general")
    said = bob.post(general, "who won the 2022 world cup? " + "x" * 400)
    resp = await alice.message_command(LOOK_UP, said)
    assert resp.ephemeral
    assert not resp.embeds
    assert "not in the DPRK Watch record" in resp.content


async def test_the_message_command_in_a_dm_through_a_user_install(watch: WatchEnv) -> None:
    dora = watch.emulator.user("dora")
    eve = watch.emulator.user("eve", installed=False)
    dm = dora.dm(eve)
    said = eve.post(dm, "UN Security Council resolution 2397 cut refined petroleum imports")
    resp = await dora.message_command(LOOK_UP, said)
    assert resp.ephemeral
    assert resp.record.payload["context"] == PRIVATE_CHANNEL
    assert resp.embeds[0]["title"].startswith("Resolution 2397")
    suggest = await resp.click("Suggest a correction")
    assert "inside a server" in suggest.content
    watch.emulator.check()
