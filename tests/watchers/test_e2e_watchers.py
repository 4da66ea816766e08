"""Source watchers end to end: feeds served on 127.0.0.1, leads in /factmod leads, drafts, dismissal."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.moderation.model.drafts import Draft
from bot.watchers.store import LeadStore
from tests.conftest import WatchEnv
from tests.emulator.interactions import EmulatorUsageError
from tests.watchers.conftest import FeedServer, polled_once, watcher_of


async def open_leads(env: WatchEnv) -> list:
    assert env.db is not None
    leads, _ = await LeadStore(env.db).open_leads(limit=50)
    return leads


async def test_only_the_new_cns_launch_day_becomes_a_lead_dated_in_korea(watched: WatchEnv) -> None:
    cns = [lead for lead in await open_leads(watched) if lead.feed == "CNS"]
    # 2026-04-18 21:10 UTC is 19 April in Korea: a day the record has, so not offered.
    assert [lead.date for lead in cns] == ["2026-11-03"]
    draft = Draft.from_json(cns[0].draft_json)
    assert draft.kind == "missile_launch"
    assert draft.fact_id == "launch-2026-11-03"
    assert draft.dates == "2026-11-03"
    figures = dict(line.split(": ", 1) for line in draft.figures.splitlines() if ": " in line)
    assert figures["Systems"] == "Hwasong-11A (KN-23), Unidentified missile"
    assert figures["Class"] == "SRBM, Unknown"
    assert figures["Missiles"] == "2"
    assert figures["Launch site"] == "Sinpo Shipyard"
    assert figures["Apogee (km)"] == "95.5"
    assert figures["Distance (km)"] == "800"
    assert figures["Bearing (degrees from north)"] == "85"
    assert figures["Outcome"] == "partial"
    assert draft.sources.startswith(
        "https://www.nti.org/analysis/articles/cns-north-korea-missile-test-database/ |"
    )
    assert "2 November 2026 (UTC)" in draft.note


async def test_a_moderator_drafts_the_launch_and_saving_it_ends_the_lead(watched: WatchEnv) -> None:
    mod = watched.moderator()
    queue = await mod.slash("factmod leads")
    assert queue.ephemeral
    text = json.dumps(queue.embeds[0])
    assert "2026-11-03" in text
    assert "CNS" in text
    assert "launch day the record lacks" in text
    assert "North Korea fires ballistic missile" in text
    assert "Kimchi" not in text
    (lead,) = [lead for lead in await open_leads(watched) if lead.feed == "CNS"]
    form = await queue.click(f"lead:draft:{lead.id}")
    assert form.modal is not None
    values = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    assert values["dates"] == "2026-11-03"
    assert values["title"].startswith("2 SRBM launches (Hwasong-11A (KN-23), Unidentified missile)")
    preview = await form.submit_modal(
        {**values, "summary": "3 November 2026: 2 missiles from Sinpo.", "body": "A test launch day."}
    )
    # The draft is complete: Save is offered at once; the details form holds the CNS figures.
    details = await preview.click("Edit details")
    assert details.modal is not None
    prefilled = {f["custom_id"]: f.get("value") for f in details.modal.fields}
    assert "Missiles: 2" in prefilled["figures"]
    previewed = await details.submit_modal(prefilled)
    saved = await previewed.click("Save")
    assert "Saved: `launch-2026-11-03`" in saved.content
    fact = await watched.bot.fact_store.get_fact("launch-2026-11-03")
    assert fact is not None
    assert fact.figures["missiles"] == 2
    assert fact.figures["apogee_km"] == 95.5
    assert [lead for lead in await open_leads(watched) if lead.feed == "CNS"] == []


async def test_rss_items_matching_keywords_become_leads_and_an_etag_gives_304(
    watched: WatchEnv, feed_server: FeedServer
) -> None:
    wire = [lead for lead in await open_leads(watched) if lead.feed == "Test wire"]
    assert [lead.title for lead in wire] == [
        "North Korea fires ballistic missile toward the East Sea",
        "Treasury adds shipping firms to the list",
    ]
    assert wire[0].date == "2026-12-05"  # 22:30 UTC on 4 December is 5 December in Korea
    assert wire[0].matched == "keywords: missile"
    assert wire[1].matched == "keywords: sanctions"
    assert Draft.from_json(wire[1].draft_json).kind == "unilateral"
    watcher = watcher_of(watched)
    feed = next(f for f in watcher.feeds if f.name == "Test wire")
    again = await watcher.poll(feed)
    assert again.unchanged
    assert again.added == ()
    assert not again.error
    sent = [headers for path, headers in feed_server.requests if path == "/news.rss"]
    assert len(sent) == 2
    assert "If-None-Match" not in sent[0]
    assert sent[1]["If-None-Match"] == '"news-1"'
    assert len(await open_leads(watched)) == 3


async def test_malformed_and_silent_feeds_are_logged_and_backed_off(watched: WatchEnv) -> None:
    outcomes = await polled_once(watched)
    assert "not an RSS or Atom feed" in outcomes["Broken"].error
    assert "no answer within 1 s" in outcomes["Slow"].error
    assert watched.db is not None
    store = LeadStore(watched.db)
    assert (await store.feed_state("Broken")).failures == 1
    assert (await store.feed_state("Slow")).failures == 1
    assert (await store.feed_state("CNS")).failures == 0
    # The bot carries on: the other feeds' leads are offered.
    queue = await watched.moderator().slash("factmod leads")
    assert "3 open" in queue.embeds[0]["title"]
    # Moderators see how each feed is doing, failing ones with the error and the next try.
    [status] = [f["value"] for f in queue.embeds[0]["fields"] if f["name"] == "Feeds"]
    lines = dict(line.split(" · ", 1) for line in status.splitlines())
    assert lines["**CNS**"].startswith("✅ fetched <t:")
    assert lines["**Broken**"].startswith("⚠️ 1 failed fetch in a row (")
    assert "not an RSS or Atom feed" in lines["**Broken**"]
    assert "never worked; next try <t:" in lines["**Broken**"]


async def test_a_feed_offers_nothing_dated_before_its_since_day(watched: WatchEnv) -> None:
    watcher = watcher_of(watched)
    cns = next(feed for feed in watcher.feeds if feed.name == "CNS")
    # The file's one launch day the record lacks is 2026-11-03: a feed starting the next day skips it.
    later = dataclasses.replace(cns, name="CNS since November 4", since="2026-11-04")
    earlier = dataclasses.replace(cns, name="CNS since November 3", since="2026-11-03")
    assert (await watcher.poll(later)).added == ()
    assert len((await watcher.poll(earlier)).added) == 1


async def test_dismiss_and_a_restart_never_offer_a_lead_again(
    watched: WatchEnv, feed_server: FeedServer
) -> None:
    mod = watched.moderator()
    queue = await mod.slash("factmod leads")
    wire = [lead for lead in await open_leads(watched) if lead.feed == "Test wire"]
    dismissed = await queue.click(f"lead:dismiss:{wire[0].id}")
    assert f"Dismissed #{wire[0].id}" in dismissed.content
    assert "2 open" in dismissed.embeds[0]["title"]
    assert "fires ballistic missile" not in json.dumps(dismissed.embeds[0])
    # Without validators the feeds are fetched in full again after a restart: nothing is offered twice.
    assert watched.db is not None
    await watched.db.write_one("UPDATE watch_feeds SET etag = NULL, last_modified = NULL")
    await watched.restart()
    outcomes = await polled_once(watched)
    assert outcomes["CNS"].added == ()
    assert outcomes["Test wire"].added == ()
    assert not outcomes["CNS"].unchanged
    titles = [lead.title for lead in await open_leads(watched)]
    assert "North Korea fires ballistic missile toward the East Sea" not in titles
    assert len(titles) == 2


async def test_a_member_who_is_not_a_moderator_is_refused(watched: WatchEnv) -> None:
    alice = watched.member("alice")
    watched.emulator.allow_command(watched.guild, "factmod", alice.id)
    refused = await alice.slash("factmod leads")
    assert refused.ephemeral
    assert "Only moderators" in refused.content
    assert "Leads" not in json.dumps(refused.embeds)


async def test_a_plain_member_is_not_shown_the_leads(watched: WatchEnv) -> None:
    with pytest.raises(EmulatorUsageError, match="does not show /factmod"):
        await watched.member("carol").slash("factmod leads")
