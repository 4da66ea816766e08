"""A tiny discord.py bot the emulator's own tests drive: one command per behaviour the harness must handle.

It is also the smallest example of a bot under test. Commands that must misbehave on cue (answer
late, follow up after the token expired) wait on `bot.release`, which the test sets: no sleeps.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

FACTS = [
    "hwasong-14",
    "hwasong-15",
    "hwasong-17",
    "hwasong-18",
    "nuclear-test-6",
    "unsc-2397",
    "singapore-summit-2018",
]


class SampleTree(app_commands.CommandTree["SampleBot"]):
    """One error path, like the real bot's: record the error, tell the member privately."""

    async def on_error(
        self, interaction: discord.Interaction[SampleBot], error: app_commands.AppCommandError
    ) -> None:
        interaction.client.errors.append(getattr(error, "original", error))
        try:
            if interaction.response.is_done():
                await interaction.followup.send("Sorry, that failed.", ephemeral=True)
            else:
                await interaction.response.send_message("Sorry, that failed.", ephemeral=True)
        except discord.HTTPException as late:
            interaction.client.errors.append(late)


class SampleBot(commands.Bot):
    """Records errors in `errors`; `release` lets gated commands continue; `next_*` shape the next answer."""

    def __init__(self, *, intents: discord.Intents | None = None, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.default(),
            tree_cls=SampleTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **options,
        )
        self.errors: list[BaseException] = []
        self.release = asyncio.Event()
        self.next_reply: dict[str, Any] = {}
        self.next_choices: list[app_commands.Choice[str]] | None = None
        self.next_modal: dict[str, Any] = {}
        self.ready_count = 0

    async def setup_hook(self) -> None:
        self.tree.add_command(QuizAdmin())
        await self.tree.sync()

    async def on_ready(self) -> None:
        self.ready_count += 1

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before every IDENTIFY but the first (Discord's identify rate limit);
        one bot against one emulator has no such limit, so re-identify tests stay fast."""
        del shard_id, initial


def make_sample_bot(**options: Any) -> SampleBot:
    """A fresh sample bot with its commands: the factory the emulator's tests hand to `run_bot`.
    `options` go to discord.py's client (e.g. `shard_id=1, shard_count=2`)."""
    bot = SampleBot(**options)
    tree = bot.tree

    @tree.command(description="Answer at once (the null command for throughput)")
    async def ping(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Repeat what you say")
    @app_commands.describe(text="What to repeat", private="Only you see the answer")
    async def echo(interaction: discord.Interaction[SampleBot], text: str, private: bool = False) -> None:
        await interaction.response.send_message(text, ephemeral=private)

    @tree.command(description="Reply with whatever the test put in bot.next_reply")
    async def reply(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_message(**interaction.client.next_reply)

    @tree.command(description="Defer, then follow up with whatever is in bot.next_reply")
    async def followup(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("Deferred reply.")
        await interaction.followup.send(**interaction.client.next_reply)

    @tree.command(description="Open the modal described in bot.next_modal (a raw payload)")
    async def form(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_modal(RawModal(interaction.client.next_modal))

    @tree.command(description="Edit and delete its own reply and follow-ups")
    async def edits(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_message("one")
        original = await interaction.original_response()
        await original.edit(content="two")
        kept = await interaction.followup.send("kept", wait=True)
        gone = await interaction.followup.send("gone", wait=True)
        await kept.edit(content="kept, edited")
        await gone.delete()
        fetched = await interaction.followup.fetch_message(kept.id)
        await interaction.edit_original_response(content=f"three ({fetched.content})")

    @tree.command(description="Think first, then follow up")
    async def think(interaction: discord.Interaction[SampleBot], private: bool = False) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        await interaction.followup.send("Thought about it.")
        await interaction.followup.send("And one more thing.")

    @tree.command(description="A counter with buttons and a select")
    async def counter(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_message("Count: 0", view=CounterView())

    @tree.command(description="Open a feedback form")
    async def feedback(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @tree.command(description="Look up a fact")
    @app_commands.describe(fact="The fact's id")
    async def fact(interaction: discord.Interaction[SampleBot], fact: str) -> None:
        await interaction.response.send_message(f"Fact: {fact}")

    @fact.autocomplete("fact")
    async def fact_autocomplete(
        interaction: discord.Interaction[SampleBot], typed: str
    ) -> list[app_commands.Choice[str]]:
        bot = interaction.client
        choices = bot.next_choices
        if choices is None:
            choices = [app_commands.Choice(name=f, value=f) for f in FACTS if typed.lower() in f][:25]
        try:
            await interaction.response.autocomplete(choices)
        except discord.HTTPException as error:
            bot.errors.append(error)
            await interaction.response.autocomplete([])
        return []

    @tree.command(description="An embed far too long for Discord")
    async def bigembed(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="Big", description="x" * 5000))

    @tree.command(description="Answer only once the test releases it")
    async def slow(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.client.release.wait()
        await interaction.response.send_message("finally")

    @tree.command(description="Defer, then follow up once the test releases it")
    async def later(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.client.release.wait()
        await interaction.followup.send("much later")

    @tree.command(description="Describe every kind of option")
    async def kinds(
        interaction: discord.Interaction[SampleBot],
        who: discord.Member,
        where: discord.TextChannel,
        role: discord.Role,
        file: discord.Attachment,
        count: app_commands.Range[int, 1, 10],
        ratio: float,
        flag: bool,
    ) -> None:
        data = await file.read()
        await interaction.response.send_message(
            f"{who.name}|{where.name}|{role.name}|{file.filename}:{data.decode()}|{count}|{ratio}|{flag}",
            file=discord.File(__file__, filename="sample_bot.py"),
        )

    @tree.command(description="Post in a channel")
    async def announce(
        interaction: discord.Interaction[SampleBot], where: discord.TextChannel, text: str
    ) -> None:
        try:
            await where.send(text)
        except discord.Forbidden as error:
            interaction.client.errors.append(error)
            await interaction.response.send_message("I cannot post there.", ephemeral=True)
            return
        await interaction.response.send_message("Posted.", ephemeral=True)

    @tree.command(description="Only for moderators")
    @app_commands.default_permissions(manage_messages=True)
    async def purge(interaction: discord.Interaction[SampleBot]) -> None:
        await interaction.response.send_message("Purged.", ephemeral=True)

    return bot


class QuizAdmin(app_commands.Group, name="quizadmin", description="Set up the daily quiz"):
    """A group with a sub-command and a nested group, as the real bot's admin commands have."""

    schedule = app_commands.Group(name="schedule", description="When questions are posted")

    @app_commands.command(description="Choose the channel and time")
    @app_commands.describe(channel="Where questions go", time="HH:MM, UTC")
    async def setup(
        self, interaction: discord.Interaction[SampleBot], channel: discord.TextChannel, time: str
    ) -> None:
        await interaction.response.send_message(f"Quiz in #{channel.name} at {time}", ephemeral=True)

    @schedule.command(description="Pause the quiz")
    async def pause(self, interaction: discord.Interaction[SampleBot], days: int = 1) -> None:
        await interaction.response.send_message(f"Paused for {days} days", ephemeral=True)


class CounterView(discord.ui.View):
    """Buttons answered by updating the message (type 7) or deferring then editing (type 6); a select."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:add", style=discord.ButtonStyle.primary)
    async def add(
        self, interaction: discord.Interaction[SampleBot], button: discord.ui.Button[CounterView]
    ) -> None:
        self.count += 1
        await interaction.response.edit_message(
            content=f"Count: {self.count} (by {interaction.user.name})", view=self
        )

    @discord.ui.button(label="Reset", custom_id="counter:reset")
    async def reset(
        self, interaction: discord.Interaction[SampleBot], button: discord.ui.Button[CounterView]
    ) -> None:
        self.count = 0
        await interaction.response.defer()
        await interaction.edit_original_response(content="Count: 0 (reset)", view=self)

    @discord.ui.select(
        custom_id="counter:set",
        placeholder="Set the count",
        options=[discord.SelectOption(label=str(n), value=str(n)) for n in (5, 10, 20)],
    )
    async def set_count(
        self, interaction: discord.Interaction[SampleBot], select: discord.ui.Select[CounterView]
    ) -> None:
        self.count = int(select.values[0])
        await interaction.response.edit_message(content=f"Count: {self.count}", view=self)


class RawModal(discord.ui.Modal, title="Raw"):
    """A modal sent exactly as given, to test limits discord.py itself would refuse to build."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self.payload = payload

    def to_dict(self) -> dict[str, Any]:
        return self.payload


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    """A required short input with a length limit and an optional long one."""

    name: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Your name", custom_id="feedback:name", max_length=20
    )
    text: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="What do you think?", custom_id="feedback:text", style=discord.TextStyle.long, required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"Thanks, {self.name.value}: {self.text.value or '-'}", ephemeral=True
        )
