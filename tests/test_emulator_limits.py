"""Every Discord limit the emulator enforces, table-driven: each row breaks (or just meets) one limit, and
the real discord.py client must get Discord's answer (400, code 50035 and the field path, or 50006).

Many rows also break Discord's API description, whose check (tests/emulator/schema.py) answers first;
the rows are broken on purpose, so `refused_within` takes those refusals off the teardown's list
after checking they name the row's field. tests/test_emulator_schema.py checks each row against the
hand-written limits and the description separately."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from discord.http import Route

from tests.emulator.emulator import DiscordEmulator
from tests.emulator.plugin import SampleWorld


def refused_within(emulator: DiscordEmulator, path: str) -> bool:
    """Whether whatever Discord's API description refused lies within `path` (the refusals are taken:
    these bodies are invalid on purpose)."""
    refused = [field for refusal in emulator.take_schema_refusals() for field in refusal.paths()]
    return all(field.startswith(path) for field in refused)


def embed(**fields: Any) -> dict[str, Any]:
    return {"type": "rich", **fields}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def button(custom_id: str = "b", label: str = "Go") -> dict[str, Any]:
    return {"type": 2, "style": 1, "custom_id": custom_id, "label": label}


def select(custom_id: str = "s", options: int = 2) -> dict[str, Any]:
    return {
        "type": 3,
        "custom_id": custom_id,
        "options": [{"label": f"o{n}", "value": f"o{n}"} for n in range(options)],
    }


def field(name: str = "n", value: str = "v") -> dict[str, str]:
    return {"name": name, "value": value}


# (case, message body, expected field path, or None when Discord accepts it)
MESSAGE_CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("content at 2000", {"content": "x" * 2000}, None),
    ("content over 2000", {"content": "x" * 2001}, "content"),
    ("embed title over 256", {"embeds": [embed(title="x" * 257)]}, "embeds.0.title"),
    ("embed description at 4096", {"embeds": [embed(description="x" * 4096)]}, None),
    ("embed description over 4096", {"embeds": [embed(description="x" * 4097)]}, "embeds.0.description"),
    ("25 fields", {"embeds": [embed(fields=[field()] * 25)]}, None),
    ("26 fields", {"embeds": [embed(fields=[field()] * 26)]}, "embeds.0.fields"),
    ("field name over 256", {"embeds": [embed(fields=[field(name="x" * 257)])]}, "embeds.0.fields.0.name"),
    (
        "field value over 1024",
        {"embeds": [embed(fields=[field(value="x" * 1025)])]},
        "embeds.0.fields.0.value",
    ),
    ("empty field value", {"embeds": [embed(fields=[field(value="")])]}, "embeds.0.fields.0.value"),
    ("footer over 2048", {"embeds": [embed(footer={"text": "x" * 2049})]}, "embeds.0.footer.text"),
    ("author name over 256", {"embeds": [embed(author={"name": "x" * 257})]}, "embeds.0.author.name"),
    (
        "embeds total at 6000",
        {"embeds": [embed(description="x" * 4000), embed(description="y" * 2000)]},
        None,
    ),
    (
        "embeds total over 6000",
        {"embeds": [embed(description="x" * 4000), embed(description="y" * 2001)]},
        "embeds",
    ),
    ("10 embeds", {"embeds": [embed(title="t")] * 10}, None),
    ("11 embeds", {"embeds": [embed(title="t")] * 11}, "embeds"),
    (
        "5 rows of 5 buttons",
        {"components": [row(*(button(f"b{r}{c}") for c in range(5))) for r in range(5)]},
        None,
    ),
    ("6 rows", {"components": [row(button(f"b{r}")) for r in range(6)]}, "components"),
    (
        "6 buttons in a row",
        {"components": [row(*(button(f"b{c}") for c in range(6)))]},
        "components.0.components",
    ),
    ("a select shares its row", {"components": [row(select(), button())]}, "components.0.components.0"),
    ("custom_id over 100", {"components": [row(button("x" * 101))]}, "components.0.components.0.custom_id"),
    ("empty custom_id", {"components": [row(button(""))]}, "components.0.components.0.custom_id"),
    (
        "button label over 80",
        {"components": [row(button(label="x" * 81))]},
        "components.0.components.0.label",
    ),
    ("select with 25 options", {"components": [row(select(options=25))]}, None),
    (
        "select with 26 options",
        {"components": [row(select(options=26))]},
        "components.0.components.0.options",
    ),
    ("select with no options", {"components": [row(select(options=0))]}, "components.0.components.0.options"),
    (
        "duplicate custom_id",
        {"content": "x", "components": [row(button("same")), row(button("same"))]},
        "components.1.components.0.custom_id",
    ),
]


@pytest.mark.parametrize(("case", "body", "path"), MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
async def test_channel_message_limits(
    sample_world: SampleWorld, case: str, body: dict[str, Any], path: str | None
) -> None:
    bot, general = sample_world.bot, sample_world.guild.channel("general")
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=general.id)
    if path is None:
        await bot.http.request(route, json=body)
        assert len(sample_world.emulator.messages(general)) == 1
        return
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.request(route, json=body)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert f"In {path}:" in refused.value.text, refused.value.text
    assert refused_within(sample_world.emulator, path)
    assert sample_world.emulator.messages(general) == []


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": "   ", "embeds": []}, {"components": []}])
async def test_an_empty_message_is_refused_with_50006(
    sample_world: SampleWorld, body: dict[str, Any]
) -> None:
    route = Route(
        "POST", "/channels/{channel_id}/messages", channel_id=sample_world.guild.channel("general").id
    )
    with pytest.raises(discord.HTTPException) as refused:
        await sample_world.bot.http.request(route, json=body)
    assert (refused.value.status, refused.value.code) == (400, 50006)


async def test_an_edit_is_checked_like_a_new_message(sample_world: SampleWorld) -> None:
    channel = sample_world.bot.get_channel(sample_world.guild.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("short")
    with pytest.raises(discord.HTTPException) as refused:
        await message.edit(content="x" * 2001)
    assert refused.value.code == 50035
    with pytest.raises(discord.HTTPException) as emptied:
        await message.edit(content="")
    assert emptied.value.code == 50006
    assert sample_world.emulator.messages(sample_world.guild.channel("general"))[0].content == "short"


async def test_interaction_replies_follow_the_same_limits(sample_world: SampleWorld) -> None:
    bot, alice = sample_world.bot, sample_world.alice
    resp = await alice.slash("bigembed")
    assert resp.content == "Sorry, that failed."
    assert resp.ephemeral
    assert resp.rejections[0].code == 50035
    assert (resp.rejections[0].errors or {})["data"]["embeds"]["0"].keys() == {"description"}
    assert refused_within(sample_world.emulator, "data.embeds.0.description")
    bot.next_reply = {"content": "x" * 2001}
    resp = await alice.slash("followup")
    assert resp.content == "Deferred reply."
    refused = await resp.wait_for_rejection()
    assert refused.code == 50035
    assert "content" in (refused.errors or {})
    assert refused_within(sample_world.emulator, "content")
    bot.next_reply = {"embeds": [discord.Embed(title="t")] * 10, "content": "ok"}
    resp = await alice.slash("followup")
    await resp.wait_for_followup()
    assert len(resp.followups[0].embeds) == 10


# (case, choices, expected path or None)
CHOICE_CASES: list[tuple[str, list[tuple[str, str]], str | None]] = [
    ("25 choices", [(f"c{n}", f"v{n}") for n in range(25)], None),
    ("26 choices", [(f"c{n}", f"v{n}") for n in range(26)], "data.choices"),
    ("name at 100", [("x" * 100, "v")], None),
    ("name over 100", [("x" * 101, "v")], "data.choices.0.name"),
    ("empty name", [("", "v")], "data.choices.0.name"),
    ("value over 100", [("n", "x" * 101)], "data.choices.0.value"),
]


@pytest.mark.parametrize(("case", "choices", "path"), CHOICE_CASES, ids=[c[0] for c in CHOICE_CASES])
async def test_autocomplete_limits(
    sample_world: SampleWorld, case: str, choices: list[tuple[str, str]], path: str | None
) -> None:
    bot = sample_world.bot
    bot.next_choices = [app_commands.Choice(name=name, value=value) for name, value in choices]
    got = await sample_world.alice.autocomplete("fact", "fact", "x")
    if path is None:
        assert len(got) == len(choices)
        assert not bot.errors
        return
    assert got == []  # the sample bot answers nothing when Discord refuses its choices
    error = bot.errors[-1]
    assert isinstance(error, discord.HTTPException)
    assert error.code == 50035
    assert f"In {path}:" in error.text, error.text
    assert refused_within(sample_world.emulator, path)


def text_input(custom_id: str = "t", label: str = "Label", **limits: Any) -> dict[str, Any]:
    return {
        "type": 1,
        "components": [{"type": 4, "custom_id": custom_id, "style": 1, "label": label, **limits}],
    }


def modal(*components: dict[str, Any], title: str = "Form", custom_id: str = "form") -> dict[str, Any]:
    return {"title": title, "custom_id": custom_id, "components": list(components)}


MODAL_CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("title at 45", modal(text_input(), title="x" * 45), None),
    ("title over 45", modal(text_input(), title="x" * 46), "data.title"),
    ("no inputs", modal(), "data.components"),
    ("5 inputs", modal(*(text_input(f"t{n}") for n in range(5))), None),
    ("6 inputs", modal(*(text_input(f"t{n}") for n in range(6))), "data.components"),
    ("label over 45", modal(text_input(label="x" * 46)), "data.components.0.components.0.label"),
    ("max_length over 4000", modal(text_input(max_length=4001)), "data.components.0.components.0.max_length"),
    (
        "value over max_length",
        modal(text_input(max_length=5, value="toolong")),
        "data.components.0.components.0.value",
    ),
    (
        "value under min_length",
        modal(text_input(min_length=5, value="abc")),
        "data.components.0.components.0.value",
    ),
    ("custom_id over 100", modal(text_input(), custom_id="x" * 101), "data.custom_id"),
]


@pytest.mark.parametrize(("case", "payload", "path"), MODAL_CASES, ids=[c[0] for c in MODAL_CASES])
async def test_modal_limits(
    sample_world: SampleWorld, case: str, payload: dict[str, Any], path: str | None
) -> None:
    bot = sample_world.bot
    bot.next_modal = payload
    resp = await sample_world.alice.slash("form")
    if path is None:
        assert resp.modal is not None
        assert resp.modal.title == payload["title"]
        return
    assert resp.content == "Sorry, that failed."
    assert resp.rejections[0].code == 50035
    error = bot.errors[-1]
    assert isinstance(error, discord.HTTPException), error
    assert f"In {path}:" in error.text, error.text
    assert refused_within(sample_world.emulator, path)


def command(name: str = "cmd", description: str = "Does things", **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": description, "type": 1, **extra}


def option(name: str = "opt", kind: int = 3, required: bool = False, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "An option", "type": kind, "required": required, **extra}


SYNC_CASES: list[tuple[str, list[dict[str, Any]], str | None]] = [
    ("unicode lowercase name", [command("café-名前")], None),
    ("name with a space", [command("bad name")], "0.name"),
    ("uppercase name", [command("Search")], "0.name"),
    ("name over 32", [command("x" * 33)], "0.name"),
    ("empty description", [command(description="")], "0.description"),
    ("description over 100", [command(description="x" * 101)], "0.description"),
    ("25 options", [command(options=[option(f"o{n}") for n in range(25)])], None),
    ("26 options", [command(options=[option(f"o{n}") for n in range(26)])], "0.options"),
    (
        "26 choices",
        [command(options=[option(choices=[{"name": str(n), "value": str(n)} for n in range(26)])])],
        "0.options.0.choices",
    ),
    (
        "choice name over 100",
        [command(options=[option(choices=[{"name": "x" * 101, "value": "v"}])])],
        "0.options.0.choices.0.name",
    ),
    ("required after optional", [command(options=[option("a"), option("b", required=True)])], "0.options.1"),
    ("duplicate option names", [command(options=[option("a"), option("a")])], "0.options.1"),
    ("option name uppercase", [command(options=[option("Query")])], "0.options.0.name"),
    ("duplicate command names", [command("a"), command("a")], "1.name"),
    (
        "group holding a string option",
        [command(options=[option("grp", 2, options=[option()])])],
        "0.options.0.options",
    ),
    (
        "autocomplete with choices",
        [command(options=[option(autocomplete=True, choices=[{"name": "a", "value": "a"}])])],
        "0.options.0.choices",
    ),
    (
        "over 4000 characters",
        [
            command(
                options=[
                    option(f"o{n}", choices=[{"name": "n" * 90, "value": "v" * 90}] * 25) for n in range(2)
                ]
            )
        ],
        "0",
    ),
    ("user command without description", [{"name": "Report User", "type": 2, "description": ""}], None),
    # Localizations: keys are Discord's locales, values follow the rules of the field they translate.
    (
        "Korean and Japanese names and descriptions",
        [
            command(
                name_localizations={"ko": "검색", "ja": "検索"},
                description_localizations={"ko": "기록 검색", "ja": "記録を検索"},
                options=[
                    option(
                        name_localizations={"ko": "검색어"},
                        choices=[{"name": "A", "value": "a", "name_localizations": {"ja": "すべて"}}],
                    )
                ],
            )
        ],
        None,
    ),
    ("unknown locale", [command(name_localizations={"kr": "검색"})], "0.name_localizations.kr"),
    (
        "localized name with a space",
        [command(name_localizations={"ja": "今日 の"})],
        "0.name_localizations.ja",
    ),
    ("localized name uppercase", [command(name_localizations={"de": "Suche"})], "0.name_localizations.de"),
    ("localized name over 32", [command(name_localizations={"ko": "가" * 33})], "0.name_localizations.ko"),
    (
        "empty localized description",
        [command(description_localizations={"ja": ""})],
        "0.description_localizations.ja",
    ),
    (
        "localized description over 100",
        [command(description_localizations={"ko": "가" * 101})],
        "0.description_localizations.ko",
    ),
    (
        "localized option name with a dot",
        [command(options=[option(name_localizations={"ja": "検索.語"})])],
        "0.options.0.name_localizations.ja",
    ),
    (
        "localized choice name over 100",
        [
            command(
                options=[
                    option(choices=[{"name": "a", "value": "a", "name_localizations": {"ko": "가" * 101}}])
                ]
            )
        ],
        "0.options.0.choices.0.name_localizations.ko",
    ),
    (
        "menu name localized with spaces and capitals",
        [
            {
                "name": "Look Up",
                "type": 3,
                "description": "",
                "name_localizations": {"ja": "DPRK Watchで調べる"},
            }
        ],
        None,
    ),
    (
        "over 4000 counting the longest localization",
        [
            command(
                options=[
                    option(
                        f"o{n}",
                        choices=[{"name": "n", "value": "v" * 70, "name_localizations": {"ko": "가" * 90}}]
                        * 25,
                    )
                    for n in range(2)
                ]
            )
        ],
        "0",
    ),
]


@pytest.mark.parametrize(("case", "payload", "path"), SYNC_CASES, ids=[c[0] for c in SYNC_CASES])
async def test_command_sync_limits(
    sample_world: SampleWorld, case: str, payload: list[dict[str, Any]], path: str | None
) -> None:
    bot, emu = sample_world.bot, sample_world.emulator
    before = emu.state.commands.names()
    if path is None:
        await bot.http.bulk_upsert_global_commands(emu.application_id, payload=payload)
        assert emu.state.commands.names() == sorted(c["name"] for c in payload)
        return
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.bulk_upsert_global_commands(emu.application_id, payload=payload)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert f"In {path}" in refused.value.text, refused.value.text
    assert refused_within(emu, path)
    assert emu.state.commands.names() == before  # nothing replaced


async def test_more_than_100_global_commands_are_refused(sample_world: SampleWorld) -> None:
    bot, emu = sample_world.bot, sample_world.emulator
    await bot.http.bulk_upsert_global_commands(
        emu.application_id, payload=[command(f"c{n}") for n in range(100)]
    )
    with pytest.raises(discord.HTTPException) as refused:
        await bot.http.bulk_upsert_global_commands(
            emu.application_id, payload=[command(f"c{n}") for n in range(101)]
        )
    assert (refused.value.status, refused.value.code) == (400, 30032)
    assert len(emu.registered_commands()) == 100
