"""End to end (issue #17): adding each kind on the first pass, `like:`, every field editable from Discord,
history in plain words, and the member who suggested a correction told the outcome."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.facts.model.figures import FIGURE_SCHEMA
from tests.conftest import WatchEnv

TEXT = {"body": "A longer account.", "fact_id": ""}
FIRST_PASS = {
    "summit": (
        {"title": "Test summit in Geneva", "dates": "2030-01-02", "summary": "Leaders met in Geneva."},
        "Participants: US, DPRK\nVenue: Geneva",
        "test-summit-in-geneva-2030",
    ),
    "missile_launch": (
        {"title": "Hwasong-20 launch", "dates": "2030-02-03", "summary": "One ICBM was launched."},
        "Systems: Hwasong-20\nClass: ICBM\nMissiles: 1\nOutcome: success\nApogee (km): 6000",
        "launch-2030-02-03",
    ),
    "un_resolution": (
        {"title": "Resolution 2999", "dates": "2030-03-04", "summary": "New sanctions."},
        "Resolution: 2999\nFor: 15\nAgainst: 0\nAbstentions: 0\nMeasures: oil cap",
        "resolution-2999-2030",
    ),
    "unilateral": (
        {"title": "Test designations", "dates": "2030-04-05", "summary": "Designations by the US."},
        "Issued by: us\nInstrument: Executive Order 99999",
        "test-designations-2030",
    ),
    "nuclear_test": (
        {"title": "Seventh nuclear test", "dates": "2030-05-06", "summary": "A seventh test at Punggye-ri."},
        "Test number: 7\nSite: Punggye-ri",
        "nuclear-test-2030-05-06",
    ),
    "satellite_launch": (
        {"title": "Chollima-2 launch", "dates": "2030-06-07", "summary": "A satellite launch failed."},
        "Systems: Chollima-2\nClass: SLV\nMissiles: 1\nOutcome: failure\nPayload: Malligyong-2",
        "launch-2030-06-07",
    ),
    "un_draft": (
        {"title": "Vetoed draft on sanctions", "dates": "2030-07-08", "summary": "A draft was vetoed."},
        "For: 13\nAgainst: 2\nAbstentions: 0\nVetoed by: China, Russia",
        "vetoed-draft-on-sanctions-2030",
    ),
    "un_body": (
        {"title": "Test monitoring panel", "dates": "2030-08-09", "summary": "A panel was set up."},
        "Established by resolution: 2999",
        "test-monitoring-panel-2030",
    ),
    "agreement": (
        {"title": "Test accord", "dates": "2030-09-10", "summary": "Both sides signed an accord."},
        "Participants: US, DPRK\nVenue: Geneva",
        "test-accord-2030",
    ),
    "multilateral": (
        {"title": "Seventh round of six-party talks", "dates": "2030-10-11", "summary": "Talks resumed."},
        "Participants: US, DPRK, ROK, Japan, China, Russia\nRound: 7",
        "seventh-round-of-six-party-talks-2030",
    ),
    "bilateral": (
        {"title": "Test envoy meeting", "dates": "2030-11-12", "summary": "Envoys met in Hanoi."},
        "Participants: US, DPRK\nVenue: Hanoi",
        "test-envoy-meeting-2030",
    ),
    "withdrawal": (
        {"title": "Test walkout", "dates": "2030-12-13", "summary": "The DPRK walked out of talks."},
        "Participants: DPRK",
        "test-walkout-2030",
    ),
}


def values(response: Any) -> dict[str, str]:
    return {f["custom_id"]: f.get("value") or "" for f in response.modal.fields}


def test_every_kind_is_tried() -> None:
    assert set(FIRST_PASS) == set(FIGURE_SCHEMA)


@pytest.mark.parametrize("kind", list(FIRST_PASS))
async def test_each_kind_is_added_on_the_first_pass(watch: WatchEnv, kind: str) -> None:
    text, figures, fact_id = FIRST_PASS[kind]
    mod = watch.moderator()
    form = await mod.slash("factmod add", kind=kind)
    assert [f["custom_id"] for f in form.modal.fields] == ["title", "dates", "summary", "body", "fact_id"]
    assert all(f.get("placeholder") for f in form.modal.fields)  # examples from a real fact of the kind
    after_text = await form.submit_modal({**text, **TEXT})
    # Not an error: what is still needed, and the details form as the next step.
    assert after_text.embeds[0]["title"] == "Next: details"
    assert "At least one source is required" in after_text.embeds[0]["description"]
    first = after_text.buttons[0]
    assert (first["label"], first["style"]) == ("Add details", 1)
    details = await after_text.click("Add details")
    template = values(details)["figures"]
    assert "system_classes" not in template
    assert "_" not in template
    preview = await details.submit_modal(
        {**values(details), "figures": figures, "sources": "https://example.org/a | Example News"}
    )
    assert "Preview" in preview.content
    saved = await preview.click("Save")
    assert f"Saved: `{fact_id}` is now at revision 1" in saved.content
    stored = await watch.bot.fact_store.get_fact(fact_id)
    assert stored is not None
    assert stored.kind == kind
    assert stored.title == text["title"]
    assert [(s.url, s.publisher) for s in stored.sources] == [("https://example.org/a", "Example News")]
    assert set(stored.figures) >= {name for name, (_, required) in FIGURE_SCHEMA[kind].items() if required}


async def test_errors_name_fields_in_plain_words_and_reopen_their_form(watch: WatchEnv) -> None:
    mod = watch.moderator()
    form = await mod.slash("factmod add", kind="missile_launch")
    after_text = await form.submit_modal({**FIRST_PASS["missile_launch"][0], **TEXT})
    assert "Systems is required for a missile launch" in after_text.embeds[0]["description"]
    details = await after_text.click("Add details")
    refused = await details.submit_modal(
        {**values(details), "figures": "Systems: KN-99\nClass: ICBM\nMissiles: many\nOutcome: success",
         "sources": "https://example.org/a | Example News"}
    )  # fmt: skip
    assert refused.embeds[0]["title"] == "Not saved yet: please fix these"
    assert "Missiles must be a whole number (got 'many')" in refused.embeds[0]["description"]
    reopened = await refused.click("Fix and resubmit")
    assert "figures" in values(reopened)  # the details form, where Missiles is


async def test_like_prefills_from_a_similar_fact(watch: WatchEnv) -> None:
    mod = watch.moderator()
    form = await mod.slash("factmod add", kind="missile_launch", like="launch-2017-11-29")
    assert values(form)["title"].startswith("First Hwasong-15")
    after_text = await form.submit_modal(
        {**values(form), "title": "Another Hwasong-15 launch", "dates": "2030-05-06", "summary": "One ICBM."}
    )
    details = await after_text.click(after_text.buttons[0]["label"])
    typed = values(details)
    assert "Systems: Hwasong-15" in typed["figures"].splitlines()
    assert "Launch site: Pyongsong Field" in typed["figures"].splitlines()
    assert typed["sources"].startswith("https://… | ")  # the publishers; each address is the new fact's own
    sources = typed["sources"].replace("https://…", "https://example.org/new")
    preview = await details.submit_modal({**typed, "sources": sources})
    saved = await preview.click("Save")
    assert "Saved: `launch-2030-05-06`" in saved.content
    added = await watch.bot.fact_store.get_fact("launch-2030-05-06")
    similar = await watch.bot.fact_store.get_fact("launch-2017-11-29")
    assert added is not None
    assert similar is not None
    assert added.figures == similar.figures
    assert added.tags == similar.tags


async def test_tags_note_links_and_date_uncertain_are_edited_from_discord(watch: WatchEnv) -> None:
    mod = watch.moderator()
    form = await mod.slash("factmod edit", fact="launch-2017-11-29")
    preview = await form.submit_modal({**values(form), "reason": "links and notes"})
    links = await preview.click("Links and notes")
    current = values(links)
    assert current["links"] == "unsc-2397"
    assert current["date_uncertain"] == "no"
    unknown = await links.submit_modal({**current, "responds_to": "No such meeting ever"})
    assert "In response to: no fact is called 'No such meeting ever'" in unknown.embeds[0]["description"]
    links = await unknown.click("Fix and resubmit")
    assert "responds_to" in values(links)
    edited = {
        **current,
        "links": "unsc-2397\nSingapore summit",  # a name, made an id
        "responds_to": "nuclear-test-6",
        "tags": current["tags"] + "\nfirst Hwasong-15",
        "note": "Apogee from Japan's Ministry of Defense.",
        "date_uncertain": "yes",
    }
    preview = await links.submit_modal(edited)
    saved = await preview.click("Save")
    assert "revision" in saved.content
    fact = await watch.bot.fact_store.get_fact("launch-2017-11-29")
    assert fact is not None
    assert fact.related == ("unsc-2397", "singapore-summit-2018")
    assert fact.responds_to == ("nuclear-test-6",)
    assert fact.tags[-1] == "first Hwasong-15"
    assert (fact.note, fact.date_uncertain) == ("Apogee from Japan's Ministry of Defense.", True)


async def test_a_title_only_edit_changes_only_the_title_in_an_export(watch: WatchEnv) -> None:
    mod = watch.moderator()

    async def exported() -> dict[str, Any]:
        resp = await mod.slash("factmod export", category="tests")
        records = json.loads(resp.attachments[0].data)["facts"]
        return next(r for r in records if r["id"] == "launch-2017-11-29")

    before = await exported()
    form = await mod.slash("factmod edit", fact="launch-2017-11-29")
    preview = await form.submit_modal({**values(form), "title": "Hwasong-15 ICBM, 29 November 2017"})
    await preview.click("Save")
    after = await exported()
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {"title"}


async def test_history_reads_in_plain_words_with_discord_timestamps(watch: WatchEnv) -> None:
    mod = watch.moderator()
    audit = watch.guild.channel("audit")
    await mod.slash("settings audit-channel", channel=audit)
    form = await mod.slash("factmod edit", fact="launch-2017-11-29")
    preview = await form.submit_modal({**values(form), "reason": "renamed"})
    details = await preview.click("Edit details")
    typed = values(details)
    figures = typed["figures"].replace("Systems: Hwasong-15", "Systems: Hwasong-17")
    preview = await details.submit_modal({**typed, "figures": figures})
    await preview.click("Save")
    history = await mod.slash("factmod history", fact="launch-2017-11-29")
    embed = history.embeds[0]
    assert embed["title"] == "History of First Hwasong-15 ICBM launch, 29 November 2017"
    latest = (
        embed["fields"][-1]["value"]
        if "edited" in embed["fields"][-1]["name"]
        else embed["fields"][0]["value"]
    )
    text = json.dumps(embed, ensure_ascii=False)
    assert "Systems: Hwasong-15 → Hwasong-17" in text
    assert "system_classes" not in text
    assert "~ " not in text
    assert "<t:" in latest
    assert ":f>" in latest
    posted = await watch.emulator.wait_for_message(audit, lambda m: "Fact edited" in json.dumps(m.embeds))
    assert "Systems: Hwasong-15 → Hwasong-17" in json.dumps(posted.embeds, ensure_ascii=False)


async def suggest(watch: WatchEnv, member: Any, fact_id: str, text: str) -> None:
    card = await member.slash("fact", fact=fact_id)
    form = await card.click("Suggest a correction")
    await form.submit_modal({"suggestion": text})


async def test_the_suggester_is_told_the_outcome(watch: WatchEnv) -> None:
    alice, bob, mod = watch.member("alice"), watch.member("bob"), watch.moderator()
    watch.emulator.close_direct_messages(bob)
    await suggest(watch, alice, "dmz-meeting-2019", "The summary should name the date from the record.")
    await suggest(watch, bob, "hanoi-summit-2019", "This one is fine on reflection, please ignore it.")
    queue = await mod.slash("factmod suggestions")
    accept = await queue.click(next(b["label"] for b in queue.buttons if b["label"].startswith("Accept")))
    preview = await accept.submit_modal({**values(accept), "summary": "Corrected from the record."})
    saved = await preview.click("Save")
    assert "Saved" in saved.content
    dismissed = await queue.click(
        next(b["label"] for b in queue.buttons if b["label"].startswith("Dismiss #2"))
    )
    assert "Dismissed suggestion #2" in dismissed.content
    for _ in range(100):  # the direct message follows the moderator's answer
        if any(r.status == 403 and r.code == 50007 for r in watch.emulator.state.requests):
            break
        await asyncio.sleep(0.02)
    else:
        pytest.fail("the bot never tried to tell bob")
    [told] = [m.content for m in watch.emulator.direct_messages(alice)]
    assert "was accepted" in told
    assert "Panmunjom" in told
    assert not watch.emulator.direct_messages(bob)  # refused by Discord, and nothing broke
    # The outcome is kept either way.
    accepted = await mod.slash("factmod suggestions", show="accepted")
    assert "#1" in json.dumps(accepted.embeds)
    assert not accepted.buttons
    kept = await mod.slash("factmod suggestions", show="dismissed")
    assert "please ignore it" in json.dumps(kept.embeds)
    assert "No suggestions are waiting" in (await mod.slash("factmod suggestions")).content
    card = await bob.slash("fact", fact="hanoi-summit-2019")
    assert card.embeds  # the bot still answers the member whose messages are closed


# A new value for every figure a launch takes: its label in the details form, what the moderator types,
# and the value stored.
EDITED_FIGURES: dict[str, tuple[str, str, Any]] = {
    "systems": ("Systems", "Hwasong-15, Hwasong-15A", ["Hwasong-15", "Hwasong-15A"]),
    "system_classes": ("Class", "ICBM, IRBM", ["ICBM", "IRBM"]),
    "missiles": ("Missiles", "2", 2),
    "facility": ("Launch site", "Sunan", "Sunan"),
    "apogee_km": ("Apogee (km)", "4480", 4480),
    "distance_km": ("Distance (km)", "960.5", 960.5),
    "bearing_deg": ("Bearing (degrees from north)", "95", 95),
    "outcome": ("Outcome", "partial", "partial"),
    "overflew_japan": ("Overflew Japan", "yes", True),
}


async def test_every_figure_and_every_source_field_is_edited_from_discord(watch: WatchEnv) -> None:
    mod = watch.moderator()

    async def exported() -> dict[str, Any]:
        resp = await mod.slash("factmod export", category="tests")
        return next(
            r for r in json.loads(resp.attachments[0].data)["facts"] if r["id"] == "launch-2017-11-29"
        )

    before = await exported()
    form = await mod.slash("factmod edit", fact="launch-2017-11-29")
    preview = await form.submit_modal({**values(form), "reason": "figures from the JCS"})
    details = await preview.click("Edit details")
    typed = values(details)
    labels = [line.split(": ", 1)[0] for line in typed["figures"].splitlines()]
    typed_by_label = {label: typed for label, typed, _ in EDITED_FIGURES.values()}
    assert sorted(labels) == sorted(typed_by_label)  # every figure the form offers is edited here
    figures = "\n".join(f"{label}: {typed_by_label[label]}" for label in labels)
    cns, csis = typed["sources"].splitlines()
    sources = "\n".join(
        [
            cns.replace("| 2026-04", "| 2026-11-30"),  # a source's date
            csis.replace(
                "North Korea Announces New ICBM, Hwasong-15", "Hwasong-15 launch"
            ).replace(  # its title
                "Center for Strategic and International Studies (CSIS) Missile Defense Project", "CSIS"
            ),
            "https://www.mod.go.jp/j/press/news/2017/11/29a.html | Japan Ministry of Defense | | 2017-11-29",
        ]
    )
    preview = await details.submit_modal({**typed, "figures": figures, "sources": sources})
    saved = await preview.click("Save")
    assert "revision" in saved.content
    after = await exported()
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {
        "figures",
        "sources",
    }
    assert after["figures"] == {name: stored for name, (_, _, stored) in EDITED_FIGURES.items()}
    assert [(s["publisher"], s.get("title"), s.get("date")) for s in after["sources"]] == [
        (before["sources"][0]["publisher"], before["sources"][0]["title"], "2026-11-30"),
        ("CSIS", "Hwasong-15 launch", "2017-11-29"),
        ("Japan Ministry of Defense", None, "2017-11-29"),
    ]


async def test_links_are_added_and_removed_by_name_with_autocomplete(watch: WatchEnv) -> None:
    mod = watch.moderator()
    choices = await mod.autocomplete("factmod link", "to", "singapore summ", fact="launch-2017-11-29")
    singapore = next(c for c in choices if "Singapore" in c.name)
    linked = await mod.slash("factmod link", fact="launch-2017-11-29", to=singapore.value, reason="context")
    assert linked.content.startswith("Linked: `launch-2017-11-29` is now at revision")
    fact = await watch.bot.fact_store.get_fact("launch-2017-11-29")
    assert fact is not None
    assert fact.related == ("unsc-2397", singapore.value)
    revision = fact.revision

    again = await mod.slash("factmod link", fact="launch-2017-11-29", to=singapore.value)
    assert again.ephemeral
    assert "is already marked related to" in again.content
    # The August 2017 launch over Japan came before resolution 2375 too.
    answering = await mod.slash("factmod link", fact="unsc-2375", to="launch-2017-08-29", how="responds_to")
    assert answering.content.startswith("Linked: `unsc-2375`")
    resolution = await watch.bot.fact_store.get_fact("unsc-2375")
    assert resolution is not None
    assert resolution.responds_to == ("nuclear-test-6", "launch-2017-08-29")

    removed = await mod.slash("factmod link", fact="launch-2017-11-29", to=singapore.value, remove=True)
    assert removed.content.startswith("Link removed: `launch-2017-11-29`")
    fact = await watch.bot.fact_store.get_fact("launch-2017-11-29")
    assert fact is not None
    assert fact.related == ("unsc-2397",)
    assert fact.revision == revision + 1  # the refused repeat made no revision
    itself = await mod.slash("factmod link", fact="launch-2017-11-29", to="launch-2017-11-29")
    assert "cannot be linked to itself" in itself.content
