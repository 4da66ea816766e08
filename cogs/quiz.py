"""/quizadmin (server managers) and /quiz (everyone): the daily quiz, practice and scores."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import tasks

from bot.core.errors import InvalidInput, NotFound
from bot.facts import render
from bot.i18n import N_, _, pgettext, weekday
from bot.kit.checks import GuardedGroup, ensure_quiz_admin
from bot.kit.cooldowns import member_cooldown
from bot.kit.options import CategoryOption
from bot.kit.persistent import FeatureCog
from bot.quiz.model import (
    Period,
    QuizSchedule,
    choose_practice_question,
    parse_post_time,
    parse_timezone,
    period_start,
)
from bot.quiz.model.recap import WEEKDAYS
from bot.quiz.model.schedule import timezone_suggestions
from bot.quiz.poster import DailyPoster
from bot.quiz.render import leaderboard_embed, option_lines, stats_embed, timestamp
from bot.quiz.store import QuizSettings, SkipOutcome
from bot.quiz.ui import AnswerButton, ForgetConfirmation, answer_view

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
MANAGE_GUILD = discord.Permissions(manage_guild=True)
DIFFICULTIES = [
    app_commands.Choice(name=name, value=level) for level, name in ((1, "Easy"), (2, "Medium"), (3, "Hard"))
]
PERIODS = [app_commands.Choice(name=p.value.capitalize(), value=p.value) for p in Period]
PERIOD_LABELS = {Period.WEEK: N_("this week"), Period.MONTH: N_("this month"), Period.ALL: N_("all time")}
RECAP_CHOICES = [app_commands.Choice(name=day.capitalize(), value=day) for day in WEEKDAYS] + [
    app_commands.Choice(name="Off", value="off")
]


class QuizCog(FeatureCog):
    """The daily quiz. The scheduler runs one UTC tick every TICK_SECONDS; all state is in the database."""

    quizadmin = GuardedGroup(
        guard=ensure_quiz_admin,
        name="quizadmin",
        description="Set up the daily quiz for this server",
        default_permissions=MANAGE_GUILD,
        guild_only=True,
    )
    quiz = app_commands.Group(name="quiz", description="Play the quiz and see scores", guild_only=True)

    persistent_items = (AnswerButton,)
    bot: DPRKWatch

    def __init__(self, bot: DPRKWatch) -> None:
        super().__init__(bot)
        self.poster = DailyPoster(bot)

    async def cog_load(self) -> None:
        await super().cog_load()
        self.scheduler.start()

    async def cog_unload(self) -> None:
        self.scheduler.cancel()
        await super().cog_unload()

    @tasks.loop(seconds=TICK_SECONDS)
    async def scheduler(self) -> None:
        try:
            await self.poster.tick()
        except Exception:
            # One bad tick must not stop tomorrow's posts.
            log.exception("Quiz scheduler tick failed")

    @scheduler.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    # --- /quizadmin ------------------------------------------------------------------------------

    @quizadmin.command(name="setup", description="Post a question every day in a channel at a local time")
    @app_commands.describe(
        channel="Where to post",
        time="Local time, 24-hour HH:MM (e.g. 09:00)",
        timezone="e.g. Asia/Seoul",
        close="When answers close, HH:MM (default: at the next day's question)",
        role="An opt-in role pinged by each question (nothing else is ever pinged)",
        thread="Open a discussion thread under each question when its answer is revealed",
        recap="A weekly recap (top three, longest streaks, hardest question) on this day, or off",
        onthisday="Add a line naming an event of the day's date in a past year",
    )
    @app_commands.choices(recap=RECAP_CHOICES)
    async def setup(
        self,
        interaction: discord.Interaction[DPRKWatch],
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 5],
        timezone: app_commands.Range[str, 1, 64],
        close: app_commands.Range[str, 1, 5] | None = None,
        role: discord.Role | None = None,
        thread: bool = False,
        recap: app_commands.Choice[str] | None = None,
        onthisday: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        if role is not None and role.is_default():
            raise InvalidInput(_("The quiz never pings @everyone: choose an opt-in role. Nothing was saved."))
        try:
            close_time = parse_post_time(close) if close else None
            schedule = QuizSchedule(parse_post_time(time), parse_timezone(timezone), close_time)
        except ValueError as error:
            raise InvalidInput(f"{error} " + _("Nothing was saved.")) from None
        me = channel.guild.me
        permissions = channel.permissions_for(me) if me else None
        # Read Message History: after a failed attempt the bot looks for a post it may already have made.
        if permissions is None or not (
            permissions.view_channel
            and permissions.send_messages
            and permissions.embed_links
            and permissions.read_message_history
        ):
            raise InvalidInput(
                _(
                    "I cannot post in {channel}: I need View Channel, Send Messages, Embed Links and Read "
                    "Message History there. Nothing was saved."
                ).format(channel=channel.mention)
            )
        if thread and not (permissions.create_public_threads and permissions.send_messages_in_threads):
            raise InvalidInput(
                _(
                    "I cannot open threads in {channel}: I need Create Public Threads and Send Messages in "
                    "Threads there. Nothing was saved."
                ).format(channel=channel.mention)
            )
        recap_day = WEEKDAYS.index(recap.value) if recap is not None and recap.value in WEEKDAYS else None
        now = self.bot.clock.now()
        await self.bot.quiz_store.configure(
            interaction.guild_id,
            channel.id,
            schedule,
            now,
            role_id=role.id if role else None,
            open_thread=thread,
            recap_day=recap_day,
            on_this_day=onthisday,
        )
        scheduled = await self.bot.quiz_store.scheduled_guilds(interaction.guild_id)
        last = scheduled[0].last_handled if scheduled else None
        upcoming = schedule.next_post_at(now, last)
        where = {
            "channel": channel.mention,
            "time": f"{schedule.post_time:%H:%M}",
            "timezone": schedule.timezone,
        }
        parts = [
            _(
                "The daily quiz will be posted in {channel} at {time} ({timezone}); answers close at {close}."
            ).format(close=f"{schedule.close_time:%H:%M}", **where)
            if schedule.close_time
            else _(
                "The daily quiz will be posted in {channel} at {time} ({timezone}); answers close when the "
                "next question is posted."
            ).format(**where),
            _("Next question: {when}.").format(when=timestamp(upcoming)),
            _(
                "Questions get harder through the week: easy on Monday and Tuesday, medium Wednesday to "
                "Friday, hard at the weekend."
            ),
        ]
        if role:
            parts.append(_("Each question pings {role}.").format(role=role.mention))
        if thread:
            parts.append(_("A discussion thread opens under each question when its answer is revealed."))
        if recap_day is not None:
            parts.append(
                _(
                    "A weekly recap (top three, longest streaks, hardest question) is posted every {day} at "
                    "{time}."
                ).format(day=weekday(recap_day), time=f"{schedule.post_time:%H:%M}")
            )
        if onthisday:
            parts.append(_("Each question names an event of its date in a past year."))
        await interaction.response.send_message(
            " ".join(parts),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @setup.autocomplete("timezone")
    async def _timezone_autocomplete(
        self, interaction: discord.Interaction[DPRKWatch], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name, value=name) for name in timezone_suggestions(current, 25)]

    @quizadmin.command(name="disable", description="Stop the daily quiz in this server")
    async def disable(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        assert interaction.guild_id is not None
        stopped = await self.bot.quiz_store.disable(interaction.guild_id, self.bot.clock.now())
        message = (
            _("The daily quiz is stopped; /quizadmin setup starts it again.")
            if stopped
            else _("The daily quiz was not running here.")
        )
        await interaction.response.send_message(message, ephemeral=True)

    @quizadmin.command(name="post", description="Post today's question now, if it has not been posted")
    async def post(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        settings = await self._settings(interaction)
        now = self.bot.clock.now()
        today = settings.schedule.local_date(now)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.poster.post_today(settings, today, now)
        if outcome.post is not None and outcome.post.message_id is not None:
            message = _("Posted today's question in {channel}.").format(
                channel=f"<#{outcome.post.channel_id}>"
            )
        elif outcome.error == "already handled":
            message = _("Today's question was already posted (or skipped); there is one question a day.")
        else:
            message = _("I could not post the question: {error}. I will try again shortly.").format(
                error=outcome.error
            )
        await interaction.followup.send(message, ephemeral=True)

    @quizadmin.command(name="skip", description="Post no question today")
    async def skip(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        settings = await self._settings(interaction)
        now = self.bot.clock.now()
        outcome = await self.bot.quiz_store.skip_day(
            settings.guild_id, settings.schedule.local_date(now), now
        )
        messages = {
            SkipOutcome.SKIPPED: N_("No question will be posted today."),
            SkipOutcome.ALREADY_SKIPPED: N_("Today was already skipped."),
            SkipOutcome.ALREADY_POSTED: N_("Today's question is already posted; it stays up."),
            SkipOutcome.IN_PROGRESS: N_("Today's question is being posted right now; it cannot be skipped."),
        }
        await interaction.response.send_message(_(messages[outcome]), ephemeral=True)

    async def _settings(self, interaction: discord.Interaction[DPRKWatch]) -> QuizSettings:
        assert interaction.guild_id is not None
        settings = await self.bot.quiz_store.settings(interaction.guild_id)
        if settings is None or not settings.enabled:
            raise NotFound(_("The daily quiz is not set up here: use /quizadmin setup first."))
        return settings

    # --- /quiz -----------------------------------------------------------------------------------

    @quiz.command(name="play", description="A practice question just for you (not scored on the leaderboard)")
    @app_commands.describe(
        category="Only questions about tests, sanctions or talks",
        difficulty="Only easy, medium or hard questions",
    )
    @app_commands.choices(difficulty=DIFFICULTIES)
    @member_cooldown(5, 60.0)
    async def play(
        self,
        interaction: discord.Interaction[DPRKWatch],
        category: CategoryOption | None = None,
        difficulty: app_commands.Choice[int] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        now = self.bot.clock.now()
        questions = await self.bot.question_bank.questions_in(
            category, difficulty.value if difficulty else None
        )
        settings = await self.bot.quiz_store.settings(interaction.guild_id)
        exclude: set[str] = set()
        if settings is not None:
            today = await self.bot.quiz_store.post_for_day(
                interaction.guild_id, settings.schedule.local_date(now)
            )
            if (
                today is not None
                and today.question is not None
                and today.state.value in ("claimed", "posted")
            ):
                exclude.add(today.question.key)  # never give away today's answer
        recent = await self.bot.quiz_store.recent_practice_keys(interaction.guild_id, interaction.user.id)
        question = choose_practice_question(
            questions, recent, exclude, (interaction.user.id, now.isoformat())
        )
        if question is None and (category or difficulty):
            wanted = " ".join(
                label.lower()
                for label in (
                    pgettext("choice", difficulty.name) if difficulty else "",
                    render.category_label(category) if category else "",
                )
                if label
            )
            raise NotFound(
                _("There are no {wanted} practice questions right now; try another choice.").format(
                    wanted=wanted
                )
            )
        if question is None:
            raise NotFound(_("There are no practice questions right now."))
        practice = await self.bot.quiz_store.start_practice(
            interaction.guild_id, interaction.user.id, question, now
        )
        await interaction.response.send_message(
            "**" + _("Practice:") + f"** {question.prompt}\n\n{option_lines(question)}",
            view=answer_view("practice", practice.id, question.options),
            ephemeral=True,
        )

    @quiz.command(name="leaderboard", description="Points in this server")
    @app_commands.describe(period="This week, this month or all time")
    @app_commands.choices(period=PERIODS)
    async def leaderboard(
        self, interaction: discord.Interaction[DPRKWatch], period: app_commands.Choice[str] | None = None
    ) -> None:
        assert interaction.guild_id is not None
        chosen = Period(period.value) if period else Period.WEEK
        settings = await self.bot.quiz_store.settings(interaction.guild_id)
        now = self.bot.clock.now()
        today = settings.schedule.local_date(now) if settings else now.date()
        board = await self.bot.quiz_store.leaderboard(interaction.guild_id, period_start(chosen, today))
        label = _(PERIOD_LABELS[chosen])
        await interaction.response.send_message(embed=leaderboard_embed(board, label, interaction.user.id))

    @quiz.command(name="stats", description="Answers, accuracy and streaks")
    @app_commands.describe(member="Whose stats (you, if empty)")
    async def stats(
        self, interaction: discord.Interaction[DPRKWatch], member: discord.Member | None = None
    ) -> None:
        assert interaction.guild_id is not None
        who = member or interaction.user
        stats = await self.bot.quiz_store.member_stats(interaction.guild_id, who.id, self.bot.clock.now())
        if stats.answered == 0 and stats.practice_answered == 0:
            # A table of zeros says nothing; say so, and only to the one who asked.
            message = (
                _(
                    "You have not answered a quiz question here yet: answer the daily question, or try "
                    "/quiz play for practice."
                )
                if who.id == interaction.user.id
                else _("{member} has not answered a quiz question here yet.").format(member=who.mention)
            )
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        await interaction.response.send_message(embed=stats_embed(stats, who.mention))

    @quiz.command(name="forget-me", description="Delete your quiz answers and scores in this server")
    async def forget_me(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        view = ForgetConfirmation(interaction)
        await interaction.response.send_message(
            _(
                "This deletes all your quiz answers, points and streaks in this server, for good. Are you sure?"
            ),
            view=view,
            ephemeral=True,
        )


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(QuizCog(bot))
