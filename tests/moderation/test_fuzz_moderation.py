"""Fuzz: the moderators' forms, members' suggestions and refused commands, through the emulator.

Fact text typed by a moderator and suggestions typed by members end up in cards, lists and the audit
channel: whatever they contain, every reply stays within Discord's limits and nothing can ping. A form
that is refused, and any moderator command run by a member who is not one, leaves the record unchanged.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.conftest import WatchEnv
from tests.emulator.actors import Actor
from tests.fuzz_settings import (
    assert_answered_well,
    boundary_ints,
    database_digest,
    fuzz_settings,
    nasty_text,
    with_real_ids,
)


class Cast:
    """The people of a fuzz test, made once: a moderator, a pingable role, an audit channel."""

    def __init__(self, watch: WatchEnv) -> None:
        self.watch = watch
        self.mod = watch.moderator()
        self.role = watch.guild.add_role("Pingable", permissions=0)
        self.alice = watch.member("alice")
        self.count = 0
        self.known_ids: set[str] = set()

    def member(self) -> Actor:
        self.count += 1
        return self.watch.member(f"member{self.count}")

    def text(self, raw: str, limit: int) -> str:
        return with_real_ids(raw, self.role.id, limit=limit, user_id=self.alice.id)


@pytest.fixture
async def cast(watch: WatchEnv) -> Cast:
    cast = Cast(watch)
    await cast.mod.slash("settings audit-channel", channel=watch.guild.channel("audit"))
    cast.known_ids = {f.id for f in await watch.bot.fact_store.all_facts(None)}
    return cast


VALID_DATES = st.sampled_from(["2030-01-02", "2030-01", "2030", "1950-06-25"])
DATES = st.one_of(VALID_DATES, VALID_DATES, VALID_DATES, st.just("2017-02-30"), nasty_text(1, 30))
SOURCES = st.one_of(
    st.sampled_from(
        [
            "https://example.org/source | Example",
            "javascript:alert(1) | Evil",
            "ftp://example.org/file | Old",
            "http://example.org/ok | <@&{role}> @everyone",
            'https://example.org/a | =HYPERLINK("https://evil.example")',
        ]
    ),
    nasty_text(1, 300).map(lambda s: f"https://example.org/x | {s}"),
    nasty_text(1, 300).map(lambda s: "https://example.org/y | Pub " + " ".join(s.split())),
    nasty_text(1, 300).map(lambda s: "https://example.org/z | Pub " + " ".join(s.split())),
    nasty_text(1, 300),
)


@fuzz_settings(30)
@given(
    title=st.one_of(nasty_text(1, 200), nasty_text(1, 190).map(lambda s: "Summit " + s)),
    dates=DATES,
    summary=nasty_text(1, 300),
    body=nasty_text(0, 3000),
    figures=st.one_of(
        st.just("participants: US, DPRK"),
        nasty_text(1, 200).map(lambda s: "participants: US, DPRK\nvenue: " + " ".join(s.split())),
        nasty_text(1, 200).map(lambda s: "participants: US, DPRK\nvenue: " + " ".join(s.split())),
        nasty_text(0, 300),
    ),
    sources=SOURCES,
    aliases=nasty_text(0, 200),
)
async def test_the_add_form_takes_any_text(
    watch: WatchEnv,
    cast: Cast,
    caplog: pytest.LogCaptureFixture,
    title: str,
    dates: str,
    summary: str,
    body: str,
    figures: str,
    sources: str,
    aliases: str,
) -> None:
    path = watch.settings.database_path
    before = database_digest(path)
    caplog.clear()
    form = await cast.mod.slash("factmod add", kind="summit")
    typed = {
        "title": cast.text(title, 200),
        "dates": dates,
        "summary": cast.text(summary, 300),
        "body": cast.text(body, 3000),
    }
    preview = await form.submit_modal(typed)
    assert_answered_well(watch.emulator, preview, caplog.records)
    # The details form's button: "Add details" as the next step, "Fix and resubmit" or "Edit details".
    label = next(b["label"] for b in preview.buttons if b["custom_id"].startswith("draft:details:"))
    details = await preview.click(label)
    assert details.modal is not None
    previewed = await details.submit_modal(
        {"figures": figures, "sources": cast.text(sources, 2000), "aliases": cast.text(aliases, 1000)}
    )
    assert_answered_well(watch.emulator, previewed, caplog.records)
    save = next(b for b in previewed.buttons if b["label"] == "Save")
    if save.get("disabled"):
        event("refused")
        assert database_digest(path) == before, "a refused form changed the record"
        return
    event("saved")
    saved = await previewed.click("Save")
    assert_answered_well(watch.emulator, saved, caplog.records)
    added = sorted({f.id for f in await watch.bot.fact_store.all_facts(None)} - cast.known_ids)
    for fact_id in added:
        fact = await watch.bot.fact_store.get_fact(fact_id)
        assert fact is not None
        assert all(s.url.startswith(("http://", "https://")) for s in fact.sources)
        card = await cast.alice.slash("fact", fact=fact_id)
        assert_answered_well(watch.emulator, card, caplog.records)
        found = await cast.member().slash("search", query=fact.title[:300])
        assert_answered_well(watch.emulator, found, caplog.records)
        history = await cast.mod.slash("factmod history", fact=fact_id)
        assert_answered_well(watch.emulator, history, caplog.records)
        export = await cast.mod.slash("factmod export", category="talks", format="csv")
        assert_answered_well(watch.emulator, export, caplog.records)
        cast.known_ids.add(fact_id)


@fuzz_settings(30)
@given(text=nasty_text(10, 1500), display=nasty_text(1, 32))
async def test_suggestions_take_any_text_and_never_ping(
    watch: WatchEnv, cast: Cast, caplog: pytest.LogCaptureFixture, text: str, display: str
) -> None:
    caplog.clear()
    member = cast.member()
    member.user.global_name = cast.text(display, 32)
    card = await member.slash("fact", fact="dmz-meeting-2019")
    form = await card.click("Suggest a correction")
    thanks = await form.submit_modal({"suggestion": cast.text(text, 1500)})
    assert_answered_well(watch.emulator, thanks, caplog.records)
    queue = await cast.mod.slash("factmod suggestions")
    assert_answered_well(watch.emulator, queue, caplog.records)
    if queue.buttons:
        dismissed = await queue.click(
            next(b["label"] for b in queue.buttons if b["label"].startswith("Dismiss"))
        )
        assert_answered_well(watch.emulator, dismissed, caplog.records)


# What a member can type into the moderator commands' options.
# What each refused group says: an ephemeral reply alone is no proof of a refusal.
REFUSALS = {
    "factmod": "Only moderators can change facts",
    "quizadmin": "Only members with Manage Server (or the moderator role)",
    "settings": "needs the Manage Server permission",
}
MODERATOR_OPTIONS = {
    "fact": nasty_text(1, 64),
    "reason": nasty_text(3, 300),
    "revision": boundary_ints(1, 1_000_000),
    "time": nasty_text(1, 5),
    "timezone": nasty_text(1, 64),
}


@fuzz_settings(25)
@given(**MODERATOR_OPTIONS)
async def test_a_member_shown_moderator_commands_changes_nothing(
    watch: WatchEnv,
    cast: Cast,
    caplog: pytest.LogCaptureFixture,
    fact: str,
    reason: str,
    revision: int,
    time: str,
    timezone: str,
) -> None:
    """The admin override shows /factmod and /quizadmin to a plain member; whatever they type, nothing changes."""
    path = watch.settings.database_path
    before = database_digest(path)
    caplog.clear()
    member = cast.member()
    for command in ("factmod", "quizadmin", "settings"):
        watch.emulator.allow_command(watch.guild, command, member.id)
    quiz = watch.guild.channel("quiz")
    attempts = [
        ("factmod retire", {"fact": fact, "reason": reason}),
        ("factmod restore", {"fact": fact}),
        ("factmod revert", {"fact": fact, "revision": revision}),
        ("factmod edit", {"fact": fact}),
        ("factmod history", {"fact": fact}),
        ("factmod suggestions", {}),
        ("factmod export", {}),
        ("quizadmin setup", {"channel": quiz, "time": time, "timezone": timezone}),
        ("quizadmin post", {}),
        ("settings moderator-role", {"role": cast.role}),
    ]
    for command, options in attempts:
        resp = await member.slash(command, options=options)
        assert_answered_well(watch.emulator, resp, caplog.records)
        assert resp.ephemeral, f"/{command} was answered publicly"
        assert REFUSALS[command.split()[0]] in (resp.content or ""), f"/{command} was not refused"
        assert resp.modal is None, f"/{command} opened a form"
    assert database_digest(path) == before


@fuzz_settings(20)
@given(**MODERATOR_OPTIONS)
async def test_moderator_commands_take_any_text(
    watch: WatchEnv,
    cast: Cast,
    caplog: pytest.LogCaptureFixture,
    fact: str,
    reason: str,
    revision: int,
    time: str,
    timezone: str,
) -> None:
    caplog.clear()
    quiz = watch.guild.channel("quiz")
    for command, options in [
        ("factmod history", {"fact": fact}),
        ("factmod revert", {"fact": fact, "revision": revision}),
        ("factmod retire", {"fact": fact, "reason": cast.text(reason, 300)}),
        ("factmod restore", {"fact": fact}),
        ("quizadmin setup", {"channel": quiz, "time": time, "timezone": timezone}),
    ]:
        resp = await cast.mod.slash(command, options=options)
        assert_answered_well(watch.emulator, resp, caplog.records)
    choices = await cast.mod.autocomplete("factmod edit", "fact", fact)
    assert len(choices) <= 25
    assert json.dumps([c.name for c in choices])  # names are plain strings within limits
