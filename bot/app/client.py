"""The bot: a typed `commands.Bot` subclass, its command tree with one error path, and start-up."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from typing import cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.alerts.store import AlertStore
from bot.app.identify import IdentifyPacer
from bot.app.settings import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.shards import ShardPlan
from bot.db.database import Database
from bot.facts.answers import SearchAnswers
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.i18n import N_, set_locale
from bot.i18n.translator import CatalogTranslator
from bot.kit.cooldowns import MemberCooldown
from bot.kit.error_path import report_error
from bot.moderation.store import FactEditStore, ModerationStore
from bot.quiz.bank import QuestionBank
from bot.quiz.store import QuizStore

log = logging.getLogger(__name__)

# Suggestions land in the moderators' queue and the audit channel: a few per member per ten minutes.
SUGGESTIONS_PER_MEMBER = (3, 600.0)

EXTENSIONS = (
    "cogs.lookup",
    "cogs.browse",
    "cogs.stats",
    "cogs.moderation",
    "cogs.quiz",
    "cogs.alerts",
    "cogs.watchers",
)
COMMANDS_HASH_KEY = "synced_commands_hash"


def server_only_by_default(tree: app_commands.CommandTree[DPRKWatch]) -> None:
    """Commands that do not say where they may be used (moderation, settings, alerts, the quiz) stay
    server-only: installed with a server, used in its channels. Without `integration_types` and
    `contexts` Discord would apply the application's own install settings, so once User Install is
    enabled in the Developer Portal they would appear in DMs too. Commands that set their own keep them
    (a tree-wide setting would be merged into every command's instead)."""
    for command in tree.get_commands():
        if command.allowed_installs is None:
            command.allowed_installs = app_commands.AppInstallationType(guild=True)
        if command.allowed_contexts is None:
            command.allowed_contexts = app_commands.AppCommandContext(guild=True)


class WatchTree(app_commands.CommandTree["DPRKWatch"]):
    """Commands answer in the member's language and take the one error path (bot.kit.error_path)."""

    async def interaction_check(self, interaction: discord.Interaction[DPRKWatch], /) -> bool:
        # The first step of the task that runs the command (and its checks and errors): bot.i18n.
        set_locale(interaction.locale)
        return True

    async def on_error(
        self, interaction: discord.Interaction[DPRKWatch], error: app_commands.AppCommandError
    ) -> None:
        where = f"/{interaction.command.qualified_name}" if interaction.command else "command"
        await report_error(interaction, error, where=where)


class DPRKWatch(commands.AutoShardedBot):
    """DPRK Watch. Resources are opened by the caller and injected, so tests use the same class.

    Sharded (AutoShardedBot): the shards of `settings.shard_plan` run in this process, each with its own
    gateway session; scheduled posts go only to the servers of those shards (`shard_plan.owns`)."""

    settings: Settings
    db: Database
    fact_store: FactStore
    fact_service: FactService
    search_answers: SearchAnswers
    fact_edit_store: FactEditStore
    moderation_store: ModerationStore
    quiz_store: QuizStore
    alert_store: AlertStore
    question_bank: QuestionBank
    clock: Clock
    suggestion_cooldown: MemberCooldown
    shard_plan: ShardPlan
    identify_pacer: IdentifyPacer

    # True for the bot process; the tests, which start many bots in one process, turn it off.
    freeze_after_setup = True

    def __init__(self, *, settings: Settings, db: Database, clock: Clock | None = None) -> None:
        plan = settings.shard_plan
        # Only the guilds intent: slash commands need no privileged intents and no member cache.
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=WatchTree,
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            help_command=None,
            # None: as many shards as Discord recommends (/gateway/bot), all run here.
            shard_count=plan.count,
            # None: all of them (discord.py's default, which its type stub leaves out).
            shard_ids=cast("list[int]", list(plan.ids) if plan.ids is not None else None),
        )
        self.shard_plan = plan
        self.identify_pacer = IdentifyPacer()
        self._session_limits_read = False
        self.settings = settings
        self.db = db
        self.fact_store = FactStore(db)
        self.fact_service = FactService(self.fact_store)
        self.search_answers = SearchAnswers(
            db, self.fact_store, self.fact_service, settings.search_cache_size
        )
        self.fact_edit_store = FactEditStore(db)
        self.moderation_store = ModerationStore(db)
        self.quiz_store = QuizStore(db)
        self.alert_store = AlertStore(db)
        self.question_bank = QuestionBank(self.fact_store, self.quiz_store, settings.dataset_dir)
        self.clock = clock or SystemClock()
        self.suggestion_cooldown = MemberCooldown(*SUGGESTIONS_PER_MEMBER, what=N_("suggestions"))

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        server_only_by_default(self.tree)
        await self.tree.set_translator(CatalogTranslator())
        await self.sync_commands()
        if self.freeze_after_setup:
            # Everything loaded so far (discord.py, the cogs) lives as long as the process:
            # keep it out of the garbage collector's full passes, which would walk it again and again
            # (measured: /null's CPU time under load halved).
            gc.collect()
            gc.freeze()

    async def sync_commands(self) -> None:
        """Sync each command scope (global, the home server, the development server) only when it
        changed since its last sync: Discord rate-limits syncs, and an unchanged tree needs none."""
        scopes: list[discord.Object | None] = [None]
        if self.settings.home_guild_id:
            scopes.append(discord.Object(self.settings.home_guild_id))
        if self.settings.dev_guild_id:
            dev = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=dev)
            if all(scope is None or scope.id != dev.id for scope in scopes):
                scopes.append(dev)
        for guild in scopes:
            # As sync sends it, translations included: a changed translation is a change to sync.
            payload = [
                await command.get_translated_payload(self.tree, self.tree.translator)
                if self.tree.translator
                else command.to_dict(self.tree)
                for command in self.tree.get_commands(guild=guild)
            ]
            state = json.dumps([self.application_id, payload], sort_keys=True).encode()
            key = f"{COMMANDS_HASH_KEY}:{guild.id if guild else 'global'}"
            if await self.db.get_meta(key) == hashlib.sha256(state).hexdigest():
                continue
            await self.tree.sync(guild=guild)
            await self.db.set_meta(key, hashlib.sha256(state).hexdigest())
            log.info("Synced %d commands (%s)", len(payload), f"server {guild.id}" if guild else "global")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Start the shards as fast as Discord allows (IdentifyPacer) instead of 5 seconds apart."""
        if not initial and not self._session_limits_read:
            self._session_limits_read = True
            try:
                limits = await self.fetch_session_start_limits()
                self.identify_pacer.max_concurrency = limits.max_concurrency
            except discord.GatewayNotFound:
                log.warning("Could not read Discord's session start limits; starting one shard at a time")
        await self.identify_pacer.wait(shard_id)

    async def on_ready(self) -> None:
        log.info("Ready as %s in %d servers (%s)", self.user, len(self.guilds), self._shards_text())
        if self.settings.home_guild_id is None and len(self.guilds) > 1:
            log.warning(
                "HOME_GUILD_ID is not set and the bot is in %d servers: moderators of every server can edit "
                "the shared facts. Set HOME_GUILD_ID to the server whose moderators keep the record.",
                len(self.guilds),
            )

    def _shards_text(self) -> str:
        if self.shard_plan.count is None and self.shard_count is not None:
            # The count Discord recommended, all of it here.
            return ShardPlan(self.shard_count).describe()
        return self.shard_plan.describe()
