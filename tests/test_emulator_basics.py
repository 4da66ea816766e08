"""The emulator drives the real discord.py client: login, servers, command sync, every kind of interaction,
channel messages, permissions, pings, restarts."""

from __future__ import annotations

import asyncio
import io

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.emulator import CommandNotSynced, DiscordEmulator, EmulatorUsageError, Upload
from tests.emulator.permissions import SEND_MESSAGES, VIEW_CHANNEL
from tests.emulator.plugin import RunBot, SampleWorld
from tests.emulator.sample_bot import SampleBot


async def test_the_bot_logs_in_receives_its_servers_and_syncs(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    assert bot.user is not None
    assert bot.user.id == emu.bot_user.id
    assert bot.application_id == emu.application_id
    assert [guild.name for guild in bot.guilds] == ["Test server"]
    guild = bot.guilds[0]
    assert {channel.name for channel in guild.text_channels} == {"general", "quiz"}
    assert guild.me.guild_permissions.send_messages
    assert emu.gateway.identify_count == 1
    assert emu.gateway.heartbeat_count >= 1  # discord.py beats as soon as it gets HELLO
    assert emu.gateway.connections[0].compressed  # zlib-stream, as discord.py asks
    names = {command["name"] for command in emu.registered_commands()}
    assert {"ping", "echo", "counter", "quizadmin", "kinds"} <= names
    quizadmin = emu.command("quizadmin")
    assert int(quizadmin["id"]) > 0
    assert quizadmin["application_id"] == str(emu.application_id)
    assert [option["name"] for option in quizadmin["options"]] == ["schedule", "setup"]


async def test_syncing_again_keeps_command_ids(sample_world: SampleWorld) -> None:
    before = {c["name"]: c["id"] for c in sample_world.emulator.registered_commands()}
    synced = await sample_world.bot.tree.sync()
    assert {c.name: str(c.id) for c in synced} == before


async def test_an_invalid_command_is_rejected_at_sync_with_50035(sample_world: SampleWorld) -> None:
    bot = sample_world.bot

    @bot.tree.command(description="26 choices: discord.py allows it, Discord refuses it")
    @app_commands.choices(level=[app_commands.Choice(name=str(n), value=n) for n in range(26)])
    async def broken(interaction: discord.Interaction, level: int) -> None:
        del interaction, level

    with pytest.raises(app_commands.CommandSyncFailure) as failure:
        await bot.tree.sync()
    assert failure.value.code == 50035
    # discord.py maps Discord's error path (N.options.0.choices) back to the command and parameter.
    assert "In command 'broken'" in str(failure.value)
    assert "In parameter 'level'\n    choices: Must be 25 or fewer in length." in str(failure.value)
    assert "broken" not in sample_world.emulator.state.commands.names()
    # Discord's API description refuses it too (maxItems 25); taken, since it is refused on purpose.
    [refusal] = sample_world.emulator.take_schema_refusals()
    assert refusal.paths()[0].endswith(".options.0.choices")


async def test_guild_commands_are_separate_and_preferred(sample_world: SampleWorld) -> None:
    bot, emu, guild = sample_world.bot, sample_world.emulator, sample_world.guild
    bot.tree.copy_global_to(guild=discord.Object(guild.id))
    await bot.tree.sync(guild=discord.Object(guild.id))
    assert emu.command("ping", guild)["guild_id"] == str(guild.id)
    resp = await sample_world.alice.slash("ping")
    assert resp.content == "pong"
    assert resp.record.payload["data"]["guild_id"] == str(guild.id)


async def test_a_command_that_was_never_synced_fails_clearly(sample_world: SampleWorld) -> None:
    with pytest.raises(CommandNotSynced, match="/nope is not registered"):
        await sample_world.alice.slash("nope")


async def test_slash_reply_public_and_ephemeral(sample_world: SampleWorld) -> None:
    alice, emu, general = sample_world.alice, sample_world.emulator, sample_world.guild.channel("general")
    public = await alice.slash("echo", text="hello")
    assert (public.content, public.ephemeral, public.type) == ("hello", False, 4)
    assert public.ack_latency is not None
    assert public.ack_latency < 1
    private = await alice.slash("echo", text="secret", private=True)
    assert private.ephemeral
    assert [m.content for m in emu.messages(general)] == ["hello"]
    assert [m.content for m in emu.messages(general, include_ephemeral=True)] == ["hello", "secret"]


async def test_subcommands_groups_and_option_checks(sample_world: SampleWorld) -> None:
    alice, guild = sample_world.alice, sample_world.guild
    quiz = guild.channel("quiz")
    resp = await alice.slash("quizadmin setup", channel=quiz, time="09:00")  # its `channel` option
    assert resp.content == "Quiz in #quiz at 09:00"
    assert resp.message is not None
    assert resp.message.channel_id == guild.channel("general").id  # run in the first text channel
    resp = await alice.slash("echo", channel=quiz, text="here")  # /echo has no `channel` option: where
    assert resp.message is not None
    assert resp.message.channel_id == quiz.id
    resp = await alice.slash("quizadmin schedule pause", days=3)
    assert resp.content == "Paused for 3 days"
    with pytest.raises(EmulatorUsageError, match="needs a sub-command"):
        await alice.slash("quizadmin")
    with pytest.raises(EmulatorUsageError, match="no option"):
        await alice.slash("echo", text="x", loud=True)
    with pytest.raises(EmulatorUsageError, match="required option 'text'"):
        await alice.slash("echo")


async def test_typed_options_arrive_resolved(sample_world: SampleWorld) -> None:
    emu, guild, alice = sample_world.emulator, sample_world.guild, sample_world.alice
    bob = emu.member(guild, "bob")
    role = guild.add_role("Analyst")
    resp = await alice.slash(
        "kinds",
        who=bob,
        where=guild.channel("quiz"),
        role=role,
        file=Upload("note.txt", b"six tests"),
        count=3,
        ratio=0.5,
        flag=True,
    )
    assert resp.content == "bob|quiz|Analyst|note.txt:six tests|3|0.5|True"
    assert resp.attachments[0].filename == "sample_bot.py"
    assert b"class SampleBot" in resp.attachments[0].data
    with pytest.raises(EmulatorUsageError, match="at most 10"):
        await alice.slash(
            "kinds",
            who=bob,
            where=guild.channel("quiz"),
            role=role,
            file=b"x",
            count=11,
            ratio=1.0,
            flag=False,
        )


async def test_defer_then_follow_ups(sample_world: SampleWorld) -> None:
    resp = await sample_world.alice.slash("think")
    assert resp.deferred
    assert resp.type == 5
    assert resp.content == "Thought about it."  # the first follow-up replaced "thinking..."
    second = await resp.wait_for_followup()
    assert second.content == "And one more thing."
    private = await sample_world.alice.slash("think", private=True)
    assert private.ephemeral
    assert private.content == "Thought about it."


async def test_buttons_and_selects_update_the_message(sample_world: SampleWorld) -> None:
    emu, guild, alice = sample_world.emulator, sample_world.guild, sample_world.alice
    resp = await alice.slash("counter")
    assert [b["label"] for b in resp.buttons] == ["+1", "Reset"]
    clicked = await resp.click("+1")
    assert clicked.type == 7
    assert clicked.content == "Count: 1 (by alice)"
    bob = emu.member(guild, "bob")
    clicked = await resp.click("counter:add", by=bob)
    assert clicked.content == "Count: 2 (by bob)"
    assert resp.content == "Count: 2 (by bob)"  # the same message, kept current
    selected = await resp.select("Set the count", ["10"])
    assert selected.content == "Count: 10"
    reset = await resp.click("Reset")
    assert reset.type == 6
    await reset.wait_for_edit()
    assert resp.content == "Count: 0 (reset)"
    with pytest.raises(EmulatorUsageError, match="no component 'Missing'"):
        await resp.click("Missing")


async def test_modal_open_and_submit(sample_world: SampleWorld) -> None:
    shown = await sample_world.alice.slash("feedback")
    assert shown.type == 9
    assert shown.modal is not None
    assert shown.modal.title == "Feedback"
    assert [f["label"] for f in shown.modal.fields] == ["Your name", "What do you think?"]
    submitted = await shown.submit_modal({"Your name": "Alice", "feedback:text": "Useful"})
    assert submitted.content == "Thanks, Alice: Useful"
    assert submitted.ephemeral
    with pytest.raises(EmulatorUsageError, match="takes 0 to 20 characters"):
        await shown.submit_modal({"Your name": "x" * 21})
    with pytest.raises(EmulatorUsageError, match="required"):
        await shown.submit_modal({"feedback:text": "no name"})


async def test_autocomplete_returns_choices(sample_world: SampleWorld) -> None:
    choices = await sample_world.alice.autocomplete("fact", "fact", "hwas")
    assert [choice.name for choice in choices] == ["hwasong-14", "hwasong-15", "hwasong-17", "hwasong-18"]
    resp = await sample_world.alice.slash("fact", fact=choices[0].value)
    assert resp.content == "Fact: hwasong-14"


async def test_channel_messages_round_trip_with_attachments(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    general = sample_world.guild.channel("general")
    channel = bot.get_channel(general.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("first", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "t.csv"))
    assert [a.filename for a in sent.attachments] == ["t.csv"]
    assert await sent.attachments[0].read() == b"a,b\n1,2\n"
    edited = await sent.edit(content="first, edited")
    assert edited.content == "first, edited"
    assert edited.attachments
    fetched = await channel.fetch_message(sent.id)
    assert fetched.content == "first, edited"
    stored = emu.messages(general)[0]
    assert stored.version == 1
    assert stored.history[0]["content"] == "first"
    await fetched.delete()
    assert emu.messages(general) == []
    fetched_channel = await bot.fetch_channel(general.id)
    assert isinstance(fetched_channel, discord.TextChannel)
    assert fetched_channel.name == "general"


async def test_direct_messages_reach_members_who_accept_them(sample_world: SampleWorld) -> None:
    emu, bot, alice = sample_world.emulator, sample_world.bot, sample_world.alice
    user = await bot.fetch_user(alice.id)
    sent = await user.send("Your suggestion was accepted.")
    assert isinstance(sent.channel, discord.DMChannel)
    assert [m.content for m in emu.direct_messages(alice)] == ["Your suggestion was accepted."]
    assert (await user.create_dm()).id == sent.channel.id  # one DM channel per user
    emu.close_direct_messages(alice)
    with pytest.raises(discord.Forbidden) as refused:
        await user.send("A second message.")
    assert refused.value.code == 50007  # Cannot send messages to this user
    assert len(emu.direct_messages(alice)) == 1


async def test_missing_permissions_are_refused_like_discord(sample_world: SampleWorld) -> None:
    emu, guild, bot = sample_world.emulator, sample_world.guild, sample_world.bot
    quiz = guild.channel("quiz")
    guild.set_overwrite(quiz, guild.everyone, deny=discord.Permissions(send_messages=True))
    resp = await sample_world.alice.slash("announce", where=quiz, text="hi")
    assert resp.content == "I cannot post there."
    error = bot.errors[-1]
    assert isinstance(error, discord.Forbidden)
    assert error.code == 50013
    assert not emu.permissions_in(quiz, emu.bot_user) & SEND_MESSAGES
    hidden = guild.add_channel("mods")
    guild.set_overwrite(hidden, guild.everyone, deny=discord.Permissions(view_channel=True))
    with pytest.raises(discord.Forbidden) as refused:
        await bot.http.send_message(hidden.id, params=discord.http.handle_message_parameters(content="hi"))
    assert refused.value.code == 50001  # Discord answers Missing Access when the channel is not visible
    assert not emu.permissions_in(hidden, sample_world.alice) & VIEW_CHANNEL


async def test_commands_hidden_by_default_permissions(sample_world: SampleWorld) -> None:
    emu, guild = sample_world.emulator, sample_world.guild
    with pytest.raises(EmulatorUsageError, match="does not show /purge"):
        await sample_world.alice.slash("purge")
    moderator = emu.member(guild, "mod", permissions=discord.Permissions(manage_messages=True))
    assert (await moderator.slash("purge")).content == "Purged."


async def test_pings_are_detected_from_allowed_mentions(sample_world: SampleWorld) -> None:
    emu, bot, alice = sample_world.emulator, sample_world.bot, sample_world.alice
    await alice.slash("echo", text=f"@everyone look, {alice.mention}")  # the bot sends allowed_mentions=none
    emu.assert_no_pings()
    bot.next_reply = {
        "content": f"hi {alice.mention}",
        "allowed_mentions": discord.AllowedMentions(users=True),
    }
    await alice.slash("reply")
    with pytest.raises(AssertionError, match=f"user {alice.id}"):
        emu.assert_no_pings()


async def test_an_unknown_route_is_recorded_and_fails_the_test(
    emulator: DiscordEmulator, run_bot: RunBot
) -> None:
    emulator.add_guild()
    runner = await run_bot(SampleBot)
    assert runner.client is not None
    with pytest.raises(discord.NotFound):
        await runner.client.http.request(discord.http.Route("GET", "/stickers/{sticker_id}", sticker_id=1))
    assert emulator.unknown_routes == ["GET /api/v10/stickers/1"]
    with pytest.raises(AssertionError, match="unknown route GET /api/v10/stickers/1"):
        emulator.check()
    emulator.state.unknown_routes.clear()  # this test expected it; others fail at teardown


async def test_restart_keeps_the_emulator_state(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    await sample_world.alice.slash("echo", text="before")
    client = await sample_world.runner.restart()
    assert client is not sample_world.bot or client.is_ready()
    assert emu.gateway.identify_count == 2
    resp = await sample_world.alice.slash("echo", text="after")
    assert resp.content == "after"
    assert [m.content for m in emu.messages(sample_world.guild.channel("general"))] == ["before", "after"]


async def test_requests_need_the_bot_token(emulator: DiscordEmulator) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{emulator.api_base}/users/@me") as answer:
        assert answer.status == 401


async def test_changes_to_servers_reach_a_connected_bot(sample_world: SampleWorld) -> None:
    emu, bot, guild = sample_world.emulator, sample_world.bot, sample_world.guild
    channel = guild.add_channel("news", topic="Launch days")
    role = guild.add_role("Quizmaster", discord.Permissions(manage_messages=True))
    second = emu.add_guild("Second server", channels=("lobby",))
    resp = await sample_world.alice.slash("echo", text="sync point")  # events are delivered in order
    assert resp.content == "sync point"
    cached = bot.get_guild(guild.id)
    assert cached is not None
    assert cached.get_channel(channel.id) is not None
    cached_role = cached.get_role(role.id)
    assert cached_role is not None
    assert cached_role.permissions.manage_messages
    assert bot.get_guild(second.id) is not None


async def test_members_intent_gets_member_chunks(emulator: DiscordEmulator, run_bot: RunBot) -> None:
    guild = emulator.add_guild()
    emulator.member(guild, "alice")
    emulator.member(guild, "bob")

    def members_bot() -> SampleBot:
        intents = discord.Intents.default()
        intents.members = True
        return SampleBot(intents=intents)

    runner = await run_bot(members_bot)
    assert runner.client is not None
    cached = runner.client.get_guild(guild.id)
    assert cached is not None
    assert cached.chunked
    assert sorted(member.name for member in cached.members) == ["DPRK Watch", "alice", "bob", "owner"]


async def test_history_pages_like_discord(sample_world: SampleWorld) -> None:
    channel = sample_world.bot.get_channel(sample_world.guild.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    sent = [await channel.send(f"m{n}") for n in range(5)]
    assert [m.content async for m in channel.history(limit=3)] == ["m4", "m3", "m2"]
    assert [m.content async for m in channel.history(limit=2, after=sent[1])] == ["m2", "m3"]
    assert [m.content async for m in channel.history(before=sent[2], oldest_first=True)] == ["m0", "m1"]


async def test_layout_components_are_accepted(sample_world: SampleWorld) -> None:
    channel = sample_world.bot.get_channel(sample_world.guild.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    view = discord.ui.LayoutView()
    container: discord.ui.Container[discord.ui.LayoutView] = discord.ui.Container(
        discord.ui.TextDisplay("## Question 1")
    )
    container.add_item(discord.ui.ActionRow(discord.ui.Button(label="Answer", custom_id="q:1")))
    view.add_item(container)
    message = await channel.send(view=view)
    stored = sample_world.emulator.state.messages[message.id]
    assert stored.flags & (1 << 15)
    carol = sample_world.emulator.member(sample_world.guild, "carol")
    with pytest.raises(EmulatorUsageError, match="it has \\['Answer'\\]"):
        await carol.click(stored, "Nope")


async def test_waiting_for_a_channel_message(sample_world: SampleWorld) -> None:
    emu, quiz = sample_world.emulator, sample_world.guild.channel("quiz")
    waiting = asyncio.create_task(emu.wait_for_message(quiz, lambda message: "launch" in message.content))
    resp = await sample_world.alice.slash("announce", where=quiz, text="launch day")
    assert resp.content == "Posted."
    message = await waiting
    assert message.author.id == emu.bot_user.id


async def test_the_bot_edits_and_deletes_through_the_interaction_webhook(sample_world: SampleWorld) -> None:
    resp = await sample_world.alice.slash("edits")
    while resp.content != "three (kept, edited)":
        await resp.wait_for_edit()
    assert [m.content for m in resp.followups] == ["kept, edited", "gone"]
    assert resp.followups[1].deleted
    visible = sample_world.emulator.messages(sample_world.guild.channel("general"))
    assert [m.content for m in visible] == ["three (kept, edited)", "kept, edited"]


async def test_acting_without_a_bot_fails_at_once(emulator: DiscordEmulator) -> None:
    guild = emulator.add_guild()
    with pytest.raises(CommandNotSynced):
        await emulator.member(guild, "alice").slash("ping")
    emulator.state.commands.bulk_overwrite(None, [{"name": "ping", "description": "Ping", "type": 1}])
    with pytest.raises(EmulatorUsageError, match="no bot has connected"):
        await emulator.member(guild, "alice").slash("ping")
