"""Every request body is checked against Discord's API description (tests/emulator/schema.py): a body it
refuses gets Discord's 400 50035 with the field path and fails the test at teardown; a good one passes.

Also: each emulator route is an operation of the description, the hand-written limits and the description
are compared row by row, and the validator's shortcuts are held to plain jsonschema's verdicts."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import aiohttp
import discord
import pytest
from discord.http import Route
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emulator import limits, routes_channels, routes_core, routes_interactions
from tests.emulator.clock import EmulatorClock, Snowflakes
from tests.emulator.commands import CommandRegistry
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.errors import ApiError, FormErrors
from tests.emulator.models import FORUM
from tests.emulator.plugin import SampleWorld
from tests.emulator.schema import Operation, SchemaRefusal, api_description
from tests.emulator.validation import leaf_check, reference_validator
from tests.test_emulator_limits import CHOICE_CASES, MESSAGE_CASES, MODAL_CASES, SYNC_CASES

MESSAGES = "POST /channels/{channel_id}/messages"
CALLBACK = "POST /interactions/{webhook_id}/{webhook_token}/callback"
SYNC = "PUT /applications/{application_id}/commands"


def operation(route_key: str) -> Operation:
    method, template = route_key.split(" ", 1)
    found = api_description().operation(method, template)
    assert found is not None, route_key
    return found


def refused_paths(route_key: str, body: Any) -> list[str]:
    """Where the description refuses `body` on that route ([] if it accepts it)."""
    errors = api_description().errors(operation(route_key), body)
    return [] if errors is None else SchemaRefusal(route_key, "", errors).paths()


# -- the routes ----------------------------------------------------------------------------------------


def emulator_routes() -> list[str]:
    emu = DiscordEmulator()
    table = routes_core.routes(emu) + routes_channels.routes(emu) + routes_interactions.routes(emu)
    return [route.key for route in table]


def test_every_emulator_route_is_an_operation_of_the_description() -> None:
    missing = [key for key in emulator_routes() if api_description().operation(*key.split(" ", 1)) is None]
    assert missing == []
    # Every route that carries a body has a schema for it, but typing, which sends none.
    bodiless = [
        key
        for key in emulator_routes()
        if key.split(" ")[0] in ("POST", "PUT", "PATCH") and not operation(key).takes_body
    ]
    assert bodiless == ["POST /channels/{channel_id}/typing"]


@pytest.mark.parametrize(
    ("route_key", "operation_id"),
    [
        (MESSAGES, "create_message"),
        ("PATCH /channels/{channel_id}/messages/{message_id}", "update_message"),
        ("POST /channels/{channel_id}/threads", "create_thread"),
        ("POST /channels/{channel_id}/messages/{message_id}/threads", "create_thread_from_message"),
        (CALLBACK, "create_interaction_response"),
        ("POST /webhooks/{webhook_id}/{webhook_token}", "execute_webhook"),
        (
            "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original",
            "update_original_webhook_message",
        ),
        ("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "update_webhook_message"),
        (SYNC, "bulk_set_application_commands"),
        (
            "PUT /applications/{application_id}/guilds/{guild_id}/commands",
            "bulk_set_guild_application_commands",
        ),
        ("POST /applications/{application_id}/commands", "create_application_command"),
    ],
)
def test_routes_are_matched_by_shape_whatever_their_parameters_are_called(
    route_key: str, operation_id: str
) -> None:
    assert operation(route_key).operation_id == operation_id


# -- refused bodies, through the real client -------------------------------------------------------------


async def send(world: SampleWorld, body: dict[str, Any]) -> discord.HTTPException:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=world.guild.channel("general").id)
    with pytest.raises(discord.HTTPException) as refused:
        await world.bot.http.request(route, json=body)
    return refused.value


@pytest.mark.parametrize(
    ("case", "body", "path", "code"),
    [
        ("embed title of a wrong type", {"embeds": [{"title": 5}]}, "embeds.0.title", "BASE_TYPE_STRING"),
        ("embed color as text", {"embeds": [{"color": "red"}]}, "embeds.0.color", "NUMBER_TYPE_COERCE"),
        ("embed as a list", {"embeds": [["title"]]}, "embeds.0", "MODEL_TYPE_CONVERT"),
        (
            "unknown component type",
            {"content": "x", "components": [{"type": 99}]},
            "components.0",
            "UNION_TYPE_CHOICES",
        ),
        (
            "button with an unknown style",
            {
                "content": "x",
                "components": [{"type": 1, "components": [{"type": 2, "style": 9, "custom_id": "b"}]}],
            },
            "components.0.components.0.style",
            "BASE_TYPE_CHOICES",
        ),
        (
            "row without its components",
            {"content": "x", "components": [{"type": 1}]},
            "components.0.components",
            "BASE_TYPE_REQUIRED",
        ),
        (
            "field without a value",
            {"embeds": [{"fields": [{"name": "n"}]}]},
            "embeds.0.fields.0.value",
            "BASE_TYPE_REQUIRED",
        ),
        ("bad snowflake", {"content": "x", "sticker_ids": ["12ab"]}, "sticker_ids.0", "NUMBER_TYPE_COERCE"),
        ("negative color", {"embeds": [{"color": -1}]}, "embeds.0.color", "NUMBER_TYPE_MIN"),
    ],
)
async def test_a_body_the_description_refuses_gets_50035_at_its_field(
    sample_world: SampleWorld, case: str, body: dict[str, Any], path: str, code: str
) -> None:
    emu = sample_world.emulator
    refused = await send(sample_world, body)
    assert (refused.status, refused.code) == (400, 50035)
    assert f"In {path}:" in refused.text, refused.text
    assert emu.messages(sample_world.guild.channel("general")) == []
    # Kept for the teardown, which would fail the test: taken here, since it is refused on purpose.
    [refusal] = emu.take_schema_refusals()
    assert (refusal.route, refusal.operation) == (MESSAGES, "create_message")
    assert refusal.paths() == [path]
    assert refusal.lines()[0].startswith(f"{path}: {code} ")


async def test_a_refusal_fails_the_test_at_teardown(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    await send(sample_world, {"embeds": [{"title": 5}]})
    assert emu.problems() == [
        "request body refused by Discord's API description: POST /channels/{channel_id}/messages"
        ' (create_message): embeds.0.title: BASE_TYPE_STRING Could not interpret "5" as string.'
    ]
    with pytest.raises(AssertionError, match=r"embeds\.0\.title"):
        emu.check()
    emu.take_schema_refusals()
    emu.check()


async def test_the_json_of_a_multipart_body_is_checked(sample_world: SampleWorld) -> None:
    route = Route(
        "POST", "/channels/{channel_id}/messages", channel_id=sample_world.guild.channel("general").id
    )
    payload = {"content": "a file", "attachments": [{"id": 0, "filename": "a.txt", "description": 7}]}
    form = [
        {"name": "payload_json", "value": json.dumps(payload), "content_type": "application/json"},
        {"name": "files[0]", "value": b"hello", "filename": "a.txt", "content_type": "text/plain"},
    ]
    with pytest.raises(discord.HTTPException) as refused:
        await sample_world.bot.http.request(route, form=form, files=[discord.File(io.BytesIO(b""), "unused")])
    assert refused.value.code == 50035
    assert "In attachments.0.description:" in refused.value.text
    [refusal] = sample_world.emulator.take_schema_refusals()
    assert refusal.paths() == ["attachments.0.description"]
    # The same body with a text description is accepted, attachment id 0 a number as discord.py sends it.
    payload["attachments"][0]["description"] = "greeting"
    form[0]["value"] = json.dumps(payload)
    message = await sample_world.bot.http.request(
        route, form=form, files=[discord.File(io.BytesIO(b""), "unused")]
    )
    assert message["attachments"][0]["filename"] == "a.txt"


async def test_a_forum_post_is_checked_as_create_thread(sample_world: SampleWorld) -> None:
    forum = sample_world.guild.add_channel("alerts", type=FORUM)
    route = Route("POST", "/channels/{channel_id}/threads", channel_id=forum.id)
    post = {"name": "Sixth nuclear test", "message": {"embeds": [{"title": 6}]}}
    with pytest.raises(discord.HTTPException) as refused:
        await sample_world.bot.http.request(route, json=post)
    assert "In message.embeds.0.title:" in refused.value.text
    [refusal] = sample_world.emulator.take_schema_refusals()
    assert refusal.operation == "create_thread"
    post["message"] = {"embeds": [{"title": "Sixth nuclear test"}]}
    thread = await sample_world.bot.http.request(route, json=post)
    assert thread["name"] == "Sixth nuclear test"


async def test_a_command_option_of_an_unknown_type_is_refused_at_sync(sample_world: SampleWorld) -> None:
    bot, emu = sample_world.bot, sample_world.emulator
    command = {"name": "cmd", "description": "Does things", "type": 1}
    bad = {**command, "options": [{"name": "opt", "description": "An option", "type": 99}]}
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.bulk_upsert_global_commands(emu.application_id, payload=[bad])
    assert 'In 0.options.0: Value of field "type" must be one of (' in refused.value.text
    [refusal] = emu.take_schema_refusals()
    [line] = refusal.lines()
    assert line.startswith('0.options.0: UNION_TYPE_CHOICES Value of field "type" must be one of (11, 5, 7,')
    # A string option (type 3) with a permission given as text, as discord.py sends it, is fine.
    good = {**command, "default_member_permissions": "8", "options": [{**bad["options"][0], "type": 3}]}
    await bot.http.bulk_upsert_global_commands(emu.application_id, payload=[good])
    assert emu.command("cmd")["options"][0]["type"] == 3


async def callback(emu: DiscordEmulator, interaction_id: int, token: str, payload: dict[str, Any]) -> int:
    url = f"{emu.api_base}/interactions/{interaction_id}/{token}/callback"
    async with aiohttp.ClientSession() as session, session.post(url, json=payload) as answer:
        return answer.status


async def test_a_refused_interaction_answer_is_a_rejection_and_does_not_acknowledge(
    sample_world: SampleWorld,
) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    pending = asyncio.create_task(sample_world.alice.slash("slow"))
    await emu.state.changes.wait_for(lambda: emu.interactions, 5, "the interaction to be sent")
    record = emu.interactions[0]
    assert await callback(emu, record.id, record.token, {"type": 99}) == 400
    assert await callback(emu, record.id, record.token, {"type": 4, "data": {"embeds": "x"}}) == 400
    assert [error.code for error in record.rejections] == [50035, 50035]
    assert (record.rejections[1].errors or {})["data"]["embeds"]["_errors"][0]["code"] == "LIST_TYPE_CONVERT"
    assert not record.acknowledged
    assert [r.paths() for r in emu.take_schema_refusals()] == [[""], ["data.embeds"]]
    bot.release.set()  # the bot's own answer is still the first
    resp = await pending
    assert resp.content == "finally"


async def test_a_refused_follow_up_is_a_rejection(sample_world: SampleWorld) -> None:
    sample_world.bot.next_reply = {"content": "x", "embed": discord.Embed(title="t", colour=0)}
    resp = await sample_world.alice.slash("followup", wait=False)
    await resp.wait_until_complete()
    record = resp.record
    url = f"{sample_world.emulator.api_base}/webhooks/{sample_world.emulator.application_id}/{record.token}"
    async with aiohttp.ClientSession() as session, session.post(url, json={"tts": "loud"}) as answer:
        assert answer.status == 400
    refused = await resp.wait_for_rejection()
    assert "tts" in (refused.errors or {})
    [refusal] = sample_world.emulator.take_schema_refusals()
    assert refusal.operation == "execute_webhook"


async def test_what_discord_py_sends_passes(sample_world: SampleWorld) -> None:
    """A message with most of what the bot sends: embeds with every part, buttons, a select, a reply, mentions."""
    channel = sample_world.bot.get_channel(sample_world.guild.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("first")
    embed = discord.Embed(
        title="Sixth nuclear test", description="d", url="https://example.org/", colour=0xB22222
    )
    embed.add_field(name="Yield", value="~250 kt").set_footer(text="CTBTO").set_author(name="DPRK Watch")
    embed.timestamp = discord.utils.utcnow()
    view = discord.ui.View()
    view.add_item(discord.ui.Button(label="Next", custom_id="next"))
    view.add_item(discord.ui.Button(label="Source", url="https://example.org/"))
    view.add_item(discord.ui.Select(custom_id="pick", options=[discord.SelectOption(label="a", value="a")]))
    mentions = discord.AllowedMentions(users=[discord.Object(sample_world.alice.user.id)])
    checked_before = len(api_description().check_seconds)
    sent = await channel.send(
        "second",
        embed=embed,
        view=view,
        reference=first,
        allowed_mentions=mentions,
        file=discord.File(io.BytesIO(b"x"), "x.txt"),
    )
    await sent.edit(content="edited", attachments=sent.attachments)
    assert len(api_description().check_seconds) == checked_before + 2  # both were checked
    assert sample_world.emulator.schema_refusals == []


async def test_bodies_are_checked_in_every_test(emulator: DiscordEmulator) -> None:
    assert emulator.check_request_bodies  # the fixture's emulator
    assert (
        DiscordEmulator().check_request_bodies
    )  # and one a test makes itself (tests/moderation/conftest.py)


# -- the hand-written limits and the description, row by row ---------------------------------------------

# The limits the description does not state (it allows 4,000 characters of content, up to 40 components
# since Components V2, and has no name pattern, no sums and no uniqueness): the hand-written checks do.
HAND_WRITTEN_ONLY = {
    "message": {
        "content over 2000",
        "empty field value",
        "embeds total over 6000",
        "6 rows",
        "a select shares its row",
        "duplicate custom_id",
    },
    "choices": {"value over 100"},
    "modal": {"6 inputs", "value over max_length", "value under min_length"},
    "sync": {
        "name with a space",
        "uppercase name",
        "empty description",
        "required after optional",
        "duplicate option names",
        "option name uppercase",
        "duplicate command names",
        "autocomplete with choices",
        "over 4000 characters",
        # The description types localizations as a map of strings: Discord's locale list and its naming
        # rules for localized names are the hand-written checks' alone.
        "unknown locale",
        "localized name with a space",
        "localized name uppercase",
        "localized option name with a dot",
        "over 4000 counting the longest localization",
    },
}


def hand_written_paths(kind: str, body: Any) -> list[str]:
    errors = FormErrors()
    if kind == "message":
        limits.check_message(body, errors)
    elif kind in ("choices", "modal"):
        with errors.at("data"):
            (limits.check_choices if kind == "choices" else limits.check_modal)(body["data"], errors)
    else:
        try:
            CommandRegistry(1, Snowflakes(EmulatorClock())).bulk_overwrite(None, body)
        except ApiError as error:
            errors.tree = error.errors or {}
    return SchemaRefusal("", "", errors.tree).paths()


def choices_body(choices: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": 8, "data": {"choices": [{"name": name, "value": value} for name, value in choices]}}


ROWS = (
    [("message", case, MESSAGES, body, path) for case, body, path in MESSAGE_CASES]
    + [("choices", case, CALLBACK, choices_body(choices), path) for case, choices, path in CHOICE_CASES]
    + [("modal", case, CALLBACK, {"type": 9, "data": payload}, path) for case, payload, path in MODAL_CASES]
    + [("sync", case, SYNC, payload, path) for case, payload, path in SYNC_CASES]
)


@pytest.mark.parametrize(
    ("kind", "case", "route_key", "body", "path"), ROWS, ids=[f"{row[0]}: {row[1]}" for row in ROWS]
)
def test_each_limit_by_the_hand_written_check_and_by_the_description(
    kind: str, case: str, route_key: str, body: Any, path: str | None
) -> None:
    hand_written = hand_written_paths(kind, body)
    described = refused_paths(route_key, body)
    if path is None:
        assert (hand_written, described) == ([], [])
        return
    assert path in hand_written
    if case in HAND_WRITTEN_ONLY[kind]:
        assert described == []
    else:
        assert described
        assert all(field.startswith(path) for field in described), described


# -- the shortcuts agree with plain jsonschema -----------------------------------------------------------

PROBES: list[Any] = [
    None, True, False, 0, 1, -1, 2, 5, 16, 25, 100, 2**31, 2**63, 2**64, -(2**63) - 1, 1.5, 2.0, -0.5,
    "", "a", "x" * 32, "x" * 33, "x" * 101, "x" * 4097, "123", "-7", "12ab", "1.5", "true",
    [], [1], ["a"], {}, {"a": 1},
]  # fmt: skip


def test_every_leaf_shortcut_agrees_with_jsonschema() -> None:
    leaves = api_description().leaf_schemas()
    assert len(leaves) > 500
    disagreements = []
    for schema in leaves:
        check, plain = leaf_check(schema), reference_validator(schema)
        assert check is not None
        for value in PROBES:
            if check(value) != plain.is_valid(value):
                disagreements.append((schema, value))
    assert disagreements == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_leaf_shortcuts_agree_on_any_value(value: Any) -> None:
    for schema in api_description().leaf_schemas()[::25]:
        check = leaf_check(schema)
        assert check is not None
        assert check(value) == reference_validator(schema).is_valid(value), (schema, value)


@pytest.mark.parametrize(
    ("kind", "case", "route_key", "body", "path"), ROWS, ids=[f"{row[0]}: {row[1]}" for row in ROWS]
)
def test_the_whole_validator_agrees_with_plain_jsonschema(
    kind: str, case: str, route_key: str, body: Any, path: str | None
) -> None:
    description = api_description()
    plain = description.reference_validator(operation(route_key))
    assert (description.errors(operation(route_key), body) is None) == plain.is_valid(body)


@settings(max_examples=100, deadline=None)
@given(
    title=st.one_of(st.text(max_size=300), st.integers(), st.none()),
    style=st.integers(min_value=0, max_value=7),
    kind=st.sampled_from([1, 2, 3, 4, 99]),
    color=st.one_of(st.integers(min_value=-5, max_value=2**25), st.text(max_size=3)),
)
def test_the_whole_validator_agrees_on_generated_messages(
    title: Any, style: int, kind: int, color: Any
) -> None:
    body = {
        "content": "x",
        "embeds": [{"title": title, "color": color, "fields": [{"name": "n", "value": "v"}]}],
        "components": [{"type": 1, "components": [{"type": kind, "style": style, "custom_id": "b"}]}],
        "allowed_mentions": {"parse": [], "users": [1, "2"]},
    }
    description = api_description()
    plain = description.reference_validator(operation(MESSAGES))
    assert (description.errors(operation(MESSAGES), body) is None) == plain.is_valid(body)
