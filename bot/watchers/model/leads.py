"""Feed items turned into leads: what a moderator may want to add to the record, never a fact itself."""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import feedparser

from bot.moderation.model.drafts import Draft, figures_template
from bot.watchers.model.config import Feed

KOREA = timedelta(hours=9)  # KST, UTC+9 all year
KEY_LIMIT = 300


class MalformedFeed(ValueError):
    """A feed's body is not what its format promises; the message says what is wrong."""


@dataclass(frozen=True)
class FoundLead:
    """A new item worth a moderator's look. `key` identifies the item within its feed for good
    (a restart, a re-fetch never offers it twice); `launch_date` is set for a launch day from CNS."""

    feed: str
    key: str
    title: str
    date: str  # YYYY-MM-DD, in Korea
    link: str
    matched: str
    draft: Draft
    launch_date: str | None = None


def korean_date(moment: datetime) -> date:
    """The date in Korea at a UTC moment."""
    return (moment.astimezone(UTC) + KOREA).date()


def matching_keywords(text: str, keywords: tuple[str, ...]) -> list[str]:
    """The keywords found in `text`, as whole words, in any case."""
    folded = " ".join(text.split()).casefold()
    return [k for k in keywords if re.search(rf"(?<!\w){re.escape(k.casefold())}(?!\w)", folded)]


# The kind a headline most likely announces; the moderator can start again with another kind.
_KIND_WORDS = (
    ("nuclear_test", ("nuclear test",)),
    ("satellite_launch", ("satellite", "space launch")),
    ("un_resolution", ("resolution", "security council")),
    ("unilateral", ("sanction", "designat", "treasury", "ofac")),
    ("summit", ("summit", "talks", "meets", "meeting")),
)


def likely_kind(text: str) -> str:
    folded = text.casefold()
    for kind, words in _KIND_WORDS:
        if any(word in folded for word in words):
            return kind
    return "missile_launch"


def rss_leads(feed: Feed, body: bytes, *, today: date) -> list[FoundLead]:
    """The items of an RSS or Atom feed that match its keywords. Raise MalformedFeed when the body is
    not a feed at all (feedparser reads what it can of a slightly broken one)."""
    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.entries:
        raise MalformedFeed(f"not an RSS or Atom feed ({parsed.get('bozo_exception')})")
    if not parsed.get("version") and not parsed.entries:
        raise MalformedFeed("not an RSS or Atom feed")
    leads = []
    for entry in parsed.entries:
        title = " ".join(str(entry.get("title", "")).split())
        summary = re.sub(r"<[^>]+>", " ", str(entry.get("summary", "")))
        matched = matching_keywords(f"{title} {summary}", feed.keywords)
        if not title or not matched:
            continue
        link = str(entry.get("link", ""))
        if not link.startswith(("http://", "https://")):
            link = ""
        when = _entry_date(entry) or today
        key = str(entry.get("id") or link or "")
        if not key or len(key) > KEY_LIMIT:
            key = "sha1:" + hashlib.sha1(f"{title}|{key}".encode()).hexdigest()
        leads.append(
            FoundLead(
                feed=feed.name,
                key=key,
                title=title[:250],
                date=when.isoformat(),
                link=link,
                matched="keywords: " + ", ".join(matched),
                draft=_rss_draft(feed, title, link, when),
            )
        )
    return leads


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return korean_date(datetime.fromtimestamp(calendar.timegm(parsed), UTC))


def _rss_draft(feed: Feed, title: str, link: str, when: date) -> Draft:
    kind = likely_kind(title)
    source = f"{link} | {feed.name} | {title} | {when.isoformat()}" if link else ""
    return Draft(
        kind=kind,
        title=title[:100],
        dates=when.isoformat(),
        figures=figures_template(kind),
        sources=source,
        reason=f"From the {feed.name} feed",
    )


@dataclass(frozen=True)
class Lead:
    """A lead in the moderators' queue. `draft_json` is the moderation Draft the add form opens with."""

    id: int
    feed: str
    title: str
    date: str
    link: str
    matched: str
    status: str
    draft_json: str
    launch_date: str | None = None


@dataclass(frozen=True)
class FeedState:
    """What the bot remembers of a feed between fetches and restarts."""

    name: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str = ""
    last_ok_at: str | None = None
    last_polled_at: str | None = None
