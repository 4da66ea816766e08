"""End to end: moderators keep the record current from Discord; everyone else cannot change it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import discord
import pytest

from bot.app.settings import Settings
from bot.facts.model.fact import Category, FactDate
from bot.kit.error_path import MODAL_TIMEOUT_SECONDS
from bot.moderation.queue_ui import SuggestionModal
from tests.conftest import WatchEnv, fact_record
from tests.emulator.interactions import EmulatorUsageError
from tests.emulator.messages import Upload

MANAGE_GUILD = discord.Permissions(manage_guild=True)
NEW_SUMMIT = {
    "title": "Test summit in Geneva",
    "dates": "2030-01-02",
    "summary": "Leaders met in Geneva.",
    "body": "A longer account of the meeting.",
}


async def add_summit(watch: WatchEnv, mod=None, **overrides: str):
    """Walk the whole add flow: text form, details form, save."""
    mod = mod or watch.moderator()
    form = await mod.slash("factmod add", kind="summit")
    assert form.modal is not None
    preview = await form.submit_modal({**NEW_SUMMIT, **overrides})
    details = await preview.click("Add details")
    assert details.modal is not None
    previewed = await details.submit_modal(
        {
            "figures": "participants: US, DPRK\nvenue: Geneva",
            "sources": "https://example.org/geneva | Example News",
        }
    )
    return await previewed.click("Save")


async def test_a_plain_member_is_not_shown_moderator_commands(watch: WatchEnv) -> None:
    with pytest.raises(EmulatorUsageError, match="does not show /factmod"):
        await watch.member("alice").slash("factmod retire", fact="nuclear-test-6", reason="testing")


async def test_a_member_shown_the_command_by_an_override_is_still_refused(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    watch.emulator.allow_command(watch.guild, "factmod", alice.id)
    resp = await alice.slash("factmod retire", fact="nuclear-test-6", reason="testing")
    assert resp.ephemeral
    assert "Only moderators can change facts" in resp.content
    assert await watch.bot.fact_store.get_fact("nuclear-test-6") is not None


async def test_the_moderator_role_grants_editing(watch: WatchEnv) -> None:
    role = watch.guild.add_role("Fact checkers", permissions=0)
    checker = watch.emulator.member(watch.guild, "checker", roles=[role])
    watch.emulator.allow_command(watch.guild, "factmod", role.id)
    refused = await checker.slash("factmod retire", fact="launch-1984-04", reason="estimate only")
    assert "Only moderators" in refused.content
    admin = watch.moderator("admin")
    set_role = await admin.slash("settings moderator-role", role=role)
    assert "can now edit facts" in set_role.content
    assert "Integrations" in set_role.content  # Discord hides the commands from the role until allowed there
    allowed = await checker.slash("factmod retire", fact="launch-1984-04", reason="estimate only")
    assert "Retired" in allowed.content
    assert await watch.bot.fact_store.get_fact("launch-1984-04") is None


async def test_adding_a_fact_through_the_forms(watch: WatchEnv) -> None:
    saved = await add_summit(watch)
    assert "Saved: `test-summit-in-geneva-2030` is now at revision 1" in saved.content
    alice = watch.member("alice")
    card = await alice.slash("fact", fact="test-summit-in-geneva-2030")
    assert card.embeds[0]["title"] == "Test summit in Geneva"
    found = await alice.slash("search", query="summit in Geneva 2030")
    assert found.embeds[0]["title"] == "Test summit in Geneva"
    choices = await alice.autocomplete("fact", "fact", "test summit gen")
    assert choices[0].value == "test-summit-in-geneva-2030"


async def test_a_refused_form_keeps_everything_typed(watch: WatchEnv) -> None:
    mod = watch.moderator()
    form = await mod.slash("factmod add", kind="summit")
    typed = {**NEW_SUMMIT, "dates": "2017-02-30"}
    preview = await form.submit_modal(typed)
    assert preview.ephemeral
    problems = preview.embeds[0]["description"]
    assert "February 2017 has 28 days" in problems
    assert "At least one source is required" in problems
    save = next(b for b in preview.buttons if b["label"] == "Save")
    assert save["disabled"]
    reopened = await preview.click("Fix and resubmit")
    values = {f["custom_id"]: f.get("value") for f in reopened.modal.fields}
    assert values["title"] == typed["title"]
    assert values["dates"] == "2017-02-30"
    assert values["body"] == typed["body"]


async def test_editing_is_prefilled_and_a_stale_edit_is_refused_with_the_current_value(
    watch: WatchEnv,
) -> None:
    first, second = watch.moderator("first"), watch.moderator("second")
    form_a = await first.slash("factmod edit", fact="singapore-summit-2018")
    form_b = await second.slash("factmod edit", fact="singapore-summit-2018")
    current = {f["custom_id"]: f.get("value") for f in form_a.modal.fields}
    assert current["title"].startswith("Singapore")
    preview_b = await form_b.submit_modal(
        {**current, "summary": "Edited by the second moderator.", "reason": "b"}
    )
    saved_b = await preview_b.click("Save")
    assert "revision 2" in saved_b.content
    preview_a = await form_a.submit_modal(
        {**current, "summary": "Edited by the first moderator.", "reason": "a"}
    )
    refused = await preview_a.click("Save")
    assert "changed by someone else" in refused.content
    assert "Edited by the second moderator." in refused.content
    fact = await watch.bot.fact_store.get_fact("singapore-summit-2018")
    assert fact is not None
    assert fact.summary == "Edited by the second moderator."


async def test_the_best_sourced_facts_open_in_the_details_form(watch: WatchEnv) -> None:
    # The best-sourced facts' sources run past 2,000 characters: the form must still hold them (Discord
    # allows 4,000).
    mod = watch.moderator()
    facts = await watch.bot.fact_store.all_facts()
    best_sourced = sorted(
        facts, key=lambda f: sum(len(s.url) + len(s.publisher) + len(s.title) for s in f.sources)
    )
    longest = 0
    for fact in best_sourced[-2:]:
        form = await mod.slash("factmod edit", fact=fact.id)
        current = {f["custom_id"]: f.get("value") for f in form.modal.fields}
        preview = await form.submit_modal({**current, "reason": "check the sources"})
        details = await preview.click("Edit details")
        assert details.modal is not None
        sources = next(f.get("value") for f in details.modal.fields if f["custom_id"] == "sources")
        assert all(source.url in sources for source in fact.sources)
        longest = max(longest, len(sources))
    assert longest > 2000


async def test_retire_restore_history_and_revert(watch: WatchEnv) -> None:
    mod, alice = watch.moderator(), watch.member("alice")
    form = await mod.slash("factmod edit", fact="hanoi-summit-2019")
    original = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal({**original, "summary": "A wrong summary.", "reason": "vandalism test"})
    await preview.click("Save")
    retired = await mod.slash("factmod retire", fact="hanoi-summit-2019", reason="duplicate entry")
    assert "Retired" in retired.content
    gone = await alice.slash("fact", fact="hanoi-summit-2019")
    assert gone.ephemeral
    assert "retired" not in (await alice.slash("search", query="Hanoi summit")).embeds[0]["title"].lower()
    restored = await mod.slash("factmod restore", fact="hanoi-summit-2019")
    assert "Restored" in restored.content
    history = await mod.slash("factmod history", fact="hanoi-summit-2019")
    text = json.dumps(history.embeds[0], ensure_ascii=False)
    assert "Revision 4 · restored" in text
    assert "Revision 2 · edited" in text
    assert "vandalism test" in text
    assert "A wrong summary." in text
    reverted = await mod.slash("factmod revert", fact="hanoi-summit-2019", revision=1)
    assert "Reverted to revision 1" in reverted.content
    fact = await watch.bot.fact_store.get_fact("hanoi-summit-2019")
    assert fact is not None
    assert fact.summary == original["summary"]
    assert fact.revision == 5


async def test_import_dry_run_then_confirm(watch: WatchEnv) -> None:
    mod = watch.moderator()
    records = [fact_record("imported-summit", title="Imported summit", date="2031-05-05")]
    upload = Upload("facts.json", json.dumps(records).encode())
    dry = await mod.slash("factmod import", file=upload)
    assert "Dry run" in dry.content
    assert await watch.bot.fact_store.get_fact("imported-summit") is None
    confirmed = await dry.click("Confirm")
    await confirmed.wait_for_edit()  # the import runs after a deferred update
    assert "Applied" in confirmed.embeds[0]["title"]
    assert await watch.bot.fact_store.get_fact("imported-summit") is not None


async def test_an_import_with_one_bad_row_changes_nothing(watch: WatchEnv) -> None:
    records = [fact_record("good-row"), fact_record("bad-row", date="2017-02-30")]
    resp = await watch.moderator().slash(
        "factmod import", file=Upload("facts.json", json.dumps(records).encode())
    )
    text = json.dumps(resp.embeds[0])
    assert "Nothing applied" in text
    assert "bad-row" in text
    assert "February 2017 has 28 days" in text
    assert not resp.buttons
    assert await watch.bot.fact_store.get_fact("good-row") is None


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("facts.txt", b"[]", "name the file .json or .csv"),
        ("facts.json", b"{broken", "malformed"),
        ("facts.csv", b"id,kind\n", "lacks the column"),
    ],
)
async def test_a_broken_import_file_gets_a_clear_message(
    watch: WatchEnv, filename: str, data: bytes, message: str
) -> None:
    resp = await watch.moderator().slash("factmod import", file=Upload(filename, data))
    assert resp.ephemeral
    assert message in resp.content


async def test_export_attaches_a_file_import_accepts(watch: WatchEnv) -> None:
    mod = watch.moderator()
    resp = await mod.slash("factmod export", category="talks", format="csv")
    attachment = resp.attachments[0]
    assert attachment.filename == "dprk-watch-talks.csv"
    back = await mod.slash("factmod import", file=Upload("talks.csv", attachment.data))
    fields = {field["name"]: field["value"] for field in back.embeds[0]["fields"]}
    talks = await watch.bot.fact_store.all_facts(Category.TALKS)
    # The file holds exactly the talks, unchanged: nothing to add, nothing to change, nothing rejected.
    assert (fields["Additions"], fields["Changes"], fields["Unchanged"]) == ("0", "0", str(len(talks)))
    assert not any(name.startswith("Rejected") for name in fields)


async def test_suggestions_reach_the_queue_and_are_accepted_or_dismissed(watch: WatchEnv) -> None:
    alice, mod = watch.member("alice"), watch.moderator()
    audit = watch.guild.channel("audit")
    await mod.slash("settings audit-channel", channel=audit)
    card = await alice.slash("fact", fact="dmz-meeting-2019")
    form = await card.click("Suggest a correction")
    thanks = await form.submit_modal(
        {"suggestion": "The date should be checked against the White House record."}
    )
    assert "is in the moderators' queue" in thanks.content
    posted = await watch.emulator.wait_for_message(
        audit, lambda m: "Correction suggested" in json.dumps(m.embeds)
    )
    assert posted is not None
    queue = await mod.slash("factmod suggestions")
    labels = [b["label"] for b in queue.buttons]
    assert labels[0].startswith("Accept #")
    accepted = await queue.click(labels[0])
    assert accepted.modal is not None
    reason = next(f for f in accepted.modal.fields if f["custom_id"] == "reason")
    assert "White House record" in reason["value"]
    # Opening the form accepts nothing yet: a form closed unsaved leaves the suggestion in the queue.
    (open_one,), _ = await watch.bot.moderation_store.open_suggestions(limit=10)
    current = {f["custom_id"]: f.get("value") for f in accepted.modal.fields}
    preview = await accepted.submit_modal({**current, "summary": "Checked against the White House record."})
    assert "Preview" in preview.content
    assert [b["label"] for b in queue.buttons] == labels  # the queue message is left as it was
    saved = await preview.click("Save")
    assert "Saved" in saved.content
    handled = await watch.bot.moderation_store.get_suggestion(open_one.id)
    assert handled.status == "accepted"
    second = await card.click("Suggest a correction")
    await second.submit_modal({"suggestion": "Another thought about this fact, with a source."})
    queue = await mod.slash("factmod suggestions")
    dismissed = await queue.click(next(b["label"] for b in queue.buttons if b["label"].startswith("Dismiss")))
    assert "Dismissed" in dismissed.content
    empty = await mod.slash("factmod suggestions")
    assert "No suggestions" in empty.content


async def test_changes_are_posted_to_the_audit_channel(watch: WatchEnv) -> None:
    mod = watch.moderator()
    audit = watch.guild.channel("audit")
    await mod.slash("settings audit-channel", channel=audit)
    await mod.slash("factmod retire", fact="launch-1986-05", reason="estimate")
    posted = await watch.emulator.wait_for_message(audit, lambda m: "Fact retired" in json.dumps(m.embeds))
    text = json.dumps(posted.embeds)
    assert "launch-1986-05" in text
    assert "\\u2022 Retired" in text  # json.dumps escapes the bullet


async def test_an_unwritable_audit_channel_is_reported_and_never_blocks(watch: WatchEnv) -> None:
    mod = watch.moderator()
    audit = watch.guild.channel("audit")
    await mod.slash("settings audit-channel", channel=audit)
    watch.guild.set_overwrite(audit, watch.guild.everyone, deny=discord.Permissions(send_messages=True).value)
    resp = await mod.slash("factmod retire", fact="launch-1990-05", reason="estimate")
    assert "Retired" in resp.content
    warning = await resp.wait_for_followup()
    assert "could not post in the audit channel" in warning.content
    assert await watch.bot.fact_store.get_fact("launch-1990-05") is None


async def test_setting_an_audit_channel_the_bot_cannot_use_is_refused(watch: WatchEnv) -> None:
    audit = watch.guild.channel("audit")
    watch.guild.set_overwrite(audit, watch.guild.everyone, deny=discord.Permissions(send_messages=True).value)
    resp = await watch.moderator().slash("settings audit-channel", channel=audit)
    assert resp.ephemeral
    assert "I cannot post embeds" in resp.content
    assert (await watch.bot.moderation_store.guild_settings(watch.guild.id)).audit_channel_id is None


async def test_home_guild_limits_editing_to_the_home_server(watch: WatchEnv) -> None:
    other = watch.emulator.add_guild("Other server", channels=("general",))
    watch.settings = Settings(**{**vars(watch.settings), "home_guild_id": watch.guild.id})
    await watch.restart()
    home_commands = {c["name"] for c in watch.emulator.registered_commands(watch.guild)}
    assert "factmod" in home_commands
    assert "factmod" not in {c["name"] for c in watch.emulator.registered_commands()}
    outsider = watch.emulator.member(other, "outsider", permissions=MANAGE_GUILD)
    with pytest.raises(Exception, match="factmod"):
        await outsider.slash("factmod retire", fact="nuclear-test-6", reason="not allowed")
    resp = await watch.moderator().slash("factmod retire", fact="launch-1991-07", reason="estimate")
    assert "Retired" in resp.content


async def test_a_deleted_audit_channel_is_reported_and_never_blocks(watch: WatchEnv) -> None:
    mod = watch.moderator()
    await mod.slash("settings audit-channel", channel=watch.guild.channel("audit"))
    await watch.bot.moderation_store.set_audit_channel(watch.guild.id, 999_999_999_999_999_999)
    resp = await mod.slash("factmod retire", fact="launch-1992-06", reason="estimate")
    assert "Retired" in resp.content
    warning = await resp.wait_for_followup()
    assert "audit channel no longer exists" in warning.content


async def test_a_warning_is_logged_when_several_servers_share_editing(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture
) -> None:
    watch.emulator.add_guild("Second server", channels=("general",))
    with caplog.at_level("WARNING", logger="bot.app.client"):
        await watch.restart()
    assert any("HOME_GUILD_ID is not set" in record.getMessage() for record in caplog.records)


async def test_forms_closed_without_submitting_are_let_go() -> None:
    # discord.py keeps a modal until it is submitted or times out; a dismissed one is never submitted.
    assert SuggestionModal("nuclear-test-6").timeout == MODAL_TIMEOUT_SECONDS
    assert MODAL_TIMEOUT_SECONDS is not None


# --- checked: set by the moderator who verified; /factmod stale lists what nobody checked for a while --


async def test_an_edit_changes_checked_only_when_the_moderator_does(watch: WatchEnv) -> None:
    watch.clock.set(datetime(2027, 2, 10, 9, 0, tzinfo=UTC))
    before = await watch.bot.fact_store.get_fact("singapore-summit-2018")
    assert before is not None
    assert before.checked == FactDate(2026, 11)
    mod = watch.moderator()
    # A summary-only edit leaves checked as it was: the moderator did not say they verified the sources.
    form = await mod.slash("factmod edit", fact="singapore-summit-2018")
    current = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal({**current, "summary": "Corrected wording.", "reason": "wording"})
    await preview.click("Save")
    reworded = await watch.bot.fact_store.get_fact("singapore-summit-2018")
    assert reworded is not None
    assert reworded.checked == FactDate(2026, 11)
    # Saying so in the details form records the check; a month in the future is refused.
    form = await mod.slash("factmod edit", fact="singapore-summit-2018")
    current = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal({**current, "summary": "Corrected after a check.", "reason": "check"})
    details = await preview.click("Edit details")
    fields = {f["custom_id"]: f.get("value") for f in details.modal.fields}
    assert fields["checked"] == "2026-11"
    future = await details.submit_modal({**fields, "checked": "2027-05"})
    assert future.embeds[0]["title"] == "Not saved yet: please fix these"
    assert "is in the future" in future.embeds[0]["description"]
    details = await preview.click("Fix and resubmit")  # the details form holds the field in error
    preview = await details.submit_modal({**fields, "checked": "2027-02"})
    assert preview.embeds[0]["footer"]["text"].endswith("Checked 2027-02")
    saved = await preview.click("Save")
    assert f"revision {before.revision + 2}" in saved.content
    after = await watch.bot.fact_store.get_fact("singapore-summit-2018")
    assert after is not None
    assert after.checked == FactDate(2027, 2)
    card = await watch.member("alice").slash("fact", fact="singapore-summit-2018")
    assert card.embeds[0]["footer"]["text"].endswith("· Checked 2027-02")


async def test_an_edit_that_changes_nothing_leaves_checked_alone(watch: WatchEnv) -> None:
    await add_summit(watch)  # checked in the test clock's month, November 2026
    watch.clock.set(datetime(2027, 2, 10, 9, 0, tzinfo=UTC))
    mod = watch.moderator()
    form = await mod.slash("factmod edit", fact="test-summit-in-geneva-2030")
    current = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal({**current, "reason": "looked again"})
    refused = await preview.click("Save")
    assert "Nothing changed" in refused.content
    fact = await watch.bot.fact_store.get_fact("test-summit-in-geneva-2030")
    assert fact is not None
    assert (fact.revision, fact.checked) == (1, FactDate(2026, 11))


async def test_adding_a_fact_marks_it_checked_this_month(watch: WatchEnv) -> None:
    await add_summit(watch)
    added = await watch.bot.fact_store.get_fact("test-summit-in-geneva-2030")
    assert added is not None
    assert added.checked == FactDate(2026, 11)  # the test clock's month


async def test_stale_lists_facts_not_checked_for_the_months_asked_oldest_first(watch: WatchEnv) -> None:
    records = [
        fact_record("checked-2025-03", checked="2025-03"),
        fact_record("checked-2024-05-20", checked="2024-05-20"),
        fact_record("checked-2023-01", checked="2023-01"),
        fact_record("never-checked"),
    ]
    await watch.bot.fact_service.import_file(
        json.dumps(records).encode(), "json", editor_id=None, editor_name="test", dry_run=False
    )
    watch.clock.set(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    resp = await watch.moderator().slash("factmod stale", months=30)  # before June 2024
    assert resp.ephemeral
    assert resp.embeds[0]["title"] == "Not checked for more than 30 month(s)"
    listed = resp.embeds[0]["description"]
    ids = [line.split("`")[1] for line in listed.splitlines() if "`" in line]
    assert ids == ["never-checked", "checked-2023-01", "checked-2024-05-20"]
    assert "Checked 2023-01" in listed
    assert "Checked never" in listed
    assert not resp.buttons  # one page

    default = await watch.moderator().slash("factmod stale")  # 12 months: before December 2025
    ids = [line.split("`")[1] for line in default.embeds[0]["description"].splitlines() if "`" in line]
    assert ids == ["never-checked", "checked-2023-01", "checked-2024-05-20", "checked-2025-03"]


async def test_stale_pages_through_every_fact_when_nothing_was_checked_recently(watch: WatchEnv) -> None:
    watch.clock.set(datetime(2031, 1, 1, tzinfo=UTC))
    mod = watch.moderator()
    resp = await mod.slash("factmod stale", months=1)
    footer = resp.embeds[0]["footer"]["text"]
    total = len(await watch.bot.fact_store.all_facts())
    assert f"{total:,} facts, oldest check first · page 1 of {-(-total // 10)}" in footer
    assert "Checked 2026-11" in resp.embeds[0]["description"]
    last = await resp.click("»")
    assert "Checked 2026-12" in last.embeds[0]["description"]
    everything = await mod.slash("factmod stale", months=120)
    assert "Every fact was checked in the last 120 month(s)" in everything.content


async def test_a_plain_member_cannot_list_stale_facts(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    watch.emulator.allow_command(watch.guild, "factmod", alice.id)
    resp = await alice.slash("factmod stale")
    assert "Only moderators" in resp.content
