"""Discord-free watchers: the watch file, feed items into leads, CNS launch days into drafts."""

from bot.watchers.model.cns import cns_leads, launch_draft, parse_cns
from bot.watchers.model.config import Feed, WatchFileError, load_watch_file
from bot.watchers.model.leads import FeedState, FoundLead, Lead, MalformedFeed, rss_leads

__all__ = [
    "Feed",
    "FeedState",
    "FoundLead",
    "Lead",
    "MalformedFeed",
    "WatchFileError",
    "cns_leads",
    "launch_draft",
    "load_watch_file",
    "parse_cns",
    "rss_leads",
]
