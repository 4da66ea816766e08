"""The catalogs against the code: every string the bot says or syncs translated into Korean and
Japanese, every localised command name within Discord's rules, and the language following the
interaction it answers."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog

from bot.app.client import EXTENSIONS, DPRKWatch
from bot.app.settings import Settings
from bot.db.database import Database
from bot.facts.answers import REFUSAL_LEADS
from bot.facts.service import FactService
from bot.i18n import (
    Catalogs,
    _,
    catalogs,
    current_locale,
    language_of,
    long_date,
    ngettext,
    set_locale,
    tools,
    using_locale,
)
from bot.i18n.translator import CatalogTranslator, tree_strings
from tests.emulator.commands import CHAT_INPUT, check_command, valid_chat_input_name
from tests.emulator.errors import FormErrors

LANGUAGES = ("ko", "ja")


@pytest.fixture
async def offline_bot(database: Database) -> AsyncIterator[DPRKWatch]:
    # Initialised but never logged in: enough for the command tree, as at sync.
    async with DPRKWatch(settings=Settings(), db=database) as bot:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        yield bot


@pytest.fixture
async def template(offline_bot: DPRKWatch) -> Catalog:
    """What `python -m bot.i18n extract` writes, built from the code as it is now."""
    tree = await tree_strings(offline_bot.tree, offline_bot.tree.get_commands())
    return tools.build_template(tree, [*tools.source_strings(), *tools.model_strings()])


def test_the_catalogs_hold_korean_and_japanese() -> None:
    assert catalogs().languages == set(LANGUAGES)
    assert [tools.po_path(language).is_file() for language in LANGUAGES] == [True, True]


def test_every_string_of_the_code_and_the_tree_is_translated_in_both_languages(template: Catalog) -> None:
    # Untranslated, fuzzy, a {placeholder} lost or invented, or a translation the code no longer uses.
    problems = tools.check(template)
    assert not problems, "\n".join(map(str, problems))
    assert len(template) > 400  # every command string and every reply's words, not a sample


def test_the_shipped_template_is_the_code_s(template: Catalog) -> None:
    """`python -m bot.i18n extract` was run after the last change to a string."""
    shipped = tools.read_catalog(tools.TEMPLATE)
    assert {(m.context, str(m.id)) for m in shipped if m.id} == {
        (m.context, str(m.id)) for m in template if m.id
    }


def walk_payload(payload: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any], str]]:
    """(path, item, kind) for a command and every option and choice under it."""
    here = f"{path}/{payload['name']}"
    yield here, payload, "command" if not path else "option"
    for choice in payload.get("choices") or []:
        yield f"{here}={choice['value']}", choice, "choice"
    for option in payload.get("options") or []:
        yield from walk_payload(option, here)


async def test_every_synced_name_description_and_choice_is_localised_within_discords_rules(
    offline_bot: DPRKWatch,
) -> None:
    translator = CatalogTranslator()
    payloads = [
        await command.get_translated_payload(offline_bot.tree, translator)
        for command in offline_bot.tree.get_commands()
    ]
    checked = Counter[str]()
    for payload in payloads:
        # Discord's own checks at sync, as the emulator makes them (names, lengths, locales, size).
        errors = FormErrors()
        check_command(payload, errors)
        assert not errors, (payload["name"], errors)
        chat_input = payload.get("type", CHAT_INPUT) == CHAT_INPUT
        for path, item, kind in walk_payload(payload):
            names = item.get("name_localizations") or {}
            assert set(names) == set(LANGUAGES), (path, names)
            for language, name in names.items():
                if kind != "choice" and chat_input:
                    assert valid_chat_input_name(name), (path, language, name)
                assert 1 <= len(name) <= (100 if kind == "choice" else 32), (path, language, name)
            if kind != "choice" and chat_input:
                descriptions = item.get("description_localizations") or {}
                assert set(descriptions) == set(LANGUAGES), (path, descriptions)
                assert all(1 <= len(text) <= 100 for text in descriptions.values()), path
            checked[kind] += 1
    assert checked["command"] >= 18
    assert checked["option"] >= 60
    assert checked["choice"] >= 40


async def test_localised_names_tell_siblings_apart(offline_bot: DPRKWatch) -> None:
    """Two commands (or two options of one command) must not read the same in a language: a member
    could not tell which is which."""
    translator = CatalogTranslator()
    payloads = [
        await command.get_translated_payload(offline_bot.tree, translator)
        for command in offline_bot.tree.get_commands()
    ]

    def siblings(items: list[dict[str, Any]], where: str) -> None:
        for language in LANGUAGES:
            names = [(item.get("name_localizations") or {}).get(language, item["name"]) for item in items]
            assert len(names) == len(set(names)), (where, language, sorted(names))
        for item in items:
            siblings(item.get("options") or [], f"{where}/{item['name']}")

    siblings([p for p in payloads if p.get("type", CHAT_INPUT) == CHAT_INPUT], "")


async def test_the_model_s_refusals_are_the_sentences_marked_for_translation(
    seeded_service: FactService,
) -> None:
    questions = (
        "how far is the moon from earth",
        "what did kim jong un eat for breakfast",
        "how many missiles has pakistan tested",
    )
    leads = {(await seeded_service.answer(question)).lead for question in questions}
    assert leads == set(REFUSAL_LEADS)
    for lead in leads:
        with using_locale("ko"):
            assert _(lead) != lead
        with using_locale("ja"):
            assert _(lead) != lead


def test_a_locale_picks_its_catalog_and_english_is_the_source() -> None:
    assert [language_of(locale) for locale in ("ko", "ja", "en-US", "en-GB", "fr")] == [
        "ko",
        "ja",
        None,
        None,
        None,
    ]
    with using_locale("ko"):
        assert _("Sources") == "출처"
        assert ngettext("{count} fact", "{count} facts", 3).format(count=3) == "사실 3건"
    with using_locale("ja"):
        assert _("Sources") == "出典"
    with using_locale("en-US"):
        assert _("Sources") == "Sources"
        assert ngettext("{count} fact", "{count} facts", 1).format(count=1) == "1 fact"
        assert ngettext("{count} fact", "{count} facts", 2).format(count=2) == "2 facts"
    with using_locale("fr"):
        assert _("Sources") == "Sources"  # no French catalog: English
    assert _("A sentence no catalog holds") == "A sentence no catalog holds"


def test_dates_are_written_as_each_language_writes_them() -> None:
    day = date(2017, 9, 3)
    written = {}
    for locale in ("en-US", "ko", "ja"):
        with using_locale(locale):
            written[locale] = long_date(day)
    assert written == {"en-US": "3 September 2017", "ko": "2017년 9월 3일", "ja": "2017年9月3日"}


async def test_each_interaction_s_task_keeps_its_own_language() -> None:
    """As discord.py runs each interaction in a task of its own: one member's language never leaks
    into another's answer, even when their answers interleave."""
    said: dict[str, list[str]] = {}

    async def answer(locale: str) -> None:
        set_locale(locale)
        said[locale] = [_("Sources")]
        await asyncio.sleep(0)  # the other member's task runs here
        said[locale].append(_("Sources"))

    await asyncio.gather(answer("ko"), answer("ja"), answer("en-US"))
    assert said == {"ko": ["출처"] * 2, "ja": ["出典"] * 2, "en-US": ["Sources"] * 2}
    assert current_locale() == "en-US"  # the test's own task is untouched


def test_the_placeholder_check_catches_a_lost_or_invented_placeholder(tmp_path: Path) -> None:
    template = tools.build_template([], [tools.Marked("Page {page} of {pages}"), tools.Marked("Sources")])
    catalog = Catalog(locale="ko")
    catalog.add("Page {page} of {pages}", "{page}쪽")
    catalog.add("Sources", "")
    tools.write_catalog(catalog, tools.po_path("ko", tmp_path))
    problems = {(p.msgid, p.what.split()[0]) for p in tools.check(template, tmp_path)}
    assert problems == {("Page {page} of {pages}", "placeholders"), ("Sources", "not")}


def test_a_name_and_a_choice_with_the_same_english_are_kept_apart() -> None:
    """Names and descriptions are told apart by msgctxt: "tests" the command and "tests" the choice."""
    ko = catalogs().messages["ko"]
    assert ko[("command name", "tests")] == "시험"
    assert ko[("choice", "tests")] == "시험"
    assert ko[("command name", "Look up in DPRK Watch")] == "DPRK Watch에서 찾기"


def test_a_new_language_starts_untranslated_and_a_changed_string_waits_for_its_translator(
    tmp_path: Path,
) -> None:
    template = tools.build_template(
        [("command name", "search", "/search")],
        [tools.Marked("Sources"), tools.Marked(("{n} fact", "{n} facts"))],
    )
    path = tools.init("de", template, tmp_path)
    german = tools.read_catalog(path, "de")
    assert german.num_plurals == 2
    assert len(tools.check(template, tmp_path)) == 3  # all three untranslated
    german.get("Sources").string = "Quellen"
    german.get("search", "command name").string = "suche"
    german.get(("{n} fact", "{n} facts")).string = ("{n} Fakt", "{n} Fakten")
    tools.write_catalog(german, path)
    assert tools.check(template, tmp_path) == []
    loaded = Catalogs.load(tmp_path)
    assert [loaded.translate_plural("de", "{n} fact", "{n} facts", n) for n in (1, 2)] == [
        "{n} Fakt",
        "{n} Fakten",
    ]
    # The English changes: the old German stays as a fuzzy suggestion, not shown.
    changed = tools.build_template(
        [("command name", "search", "/search")],
        [tools.Marked("All sources"), tools.Marked(("{n} fact", "{n} facts"))],
    )
    tools.update(changed, tmp_path)
    assert [p.msgid for p in tools.check(changed, tmp_path)] == ["All sources"]
    assert Catalogs.load(tmp_path).translate("de", "All sources") is None
