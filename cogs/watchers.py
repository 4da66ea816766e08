"""Source watchers: the operator's feeds polled in the background (no commands of its own; moderators
see the leads with /factmod leads)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.kit.persistent import FeatureCog
from bot.stats.model.geo import load_facilities
from bot.watchers.poller import FeedWatcher
from bot.watchers.store import LeadStore
from bot.watchers.ui import LeadButton

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)
FACILITIES_FILE = "facilities.toml"


class WatchersCog(FeatureCog):
    """Runs the FeedWatcher while loaded; the lead buttons work across restarts."""

    persistent_items = (LeadButton,)
    bot: DPRKWatch

    def __init__(self, bot: DPRKWatch) -> None:
        super().__init__(bot)
        try:
            sites = load_facilities(bot.settings.dataset_dir / FACILITIES_FILE).by_name.values()
            facility_names = {site.id: site.name for site in sites}
        except OSError:
            log.warning(
                "No %s in %s: CNS drafts name launch sites by their CNS ids",
                FACILITIES_FILE,
                bot.settings.dataset_dir,
            )
            facility_names = {}
        self.watcher = FeedWatcher(bot.settings.watch_feeds, LeadStore(bot.db), bot.clock, facility_names)

    async def cog_load(self) -> None:
        await super().cog_load()
        if not self.watcher.feeds:
            return
        if not self.bot.shard_plan.runs_first_shard:
            # Feeds belong to no server: one process watches them, the one running shard 0.
            log.info("Not watching the %d feed(s): the process running shard 0 does", len(self.watcher.feeds))
            return
        self.watcher.start()
        log.info("Watching %d feed(s)", len(self.watcher.feeds))

    async def cog_unload(self) -> None:
        await self.watcher.stop()
        await super().cog_unload()


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(WatchersCog(bot))
