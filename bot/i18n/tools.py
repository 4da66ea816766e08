"""Keeping the catalogs in step with the code: extract, update, add a language, check.

`extract` writes `locales/messages.pot` from two sources: the strings marked in the code (`_`, `N_`,
`ngettext`, `pgettext`, as `pybabel extract` finds them) and every string the command tree sends at
sync (names, descriptions, options, choices), which discord.py hands to the translator and which no
extractor can see, read by walking the real tree with a recording translator.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.facts.model.fact import KIND_LABELS
from bot.facts.model.figures import FIGURE_LABELS
from bot.i18n.catalog import DOMAIN, LOCALES_DIR, singular

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("bot", "cogs")
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
PROJECT = "DPRK Watch"
HEADER = """\
# {what} for DPRK Watch.
# After changing strings in the code: python -m bot.i18n update (README, Languages).
# This file is distributed under the same license as the DPRK Watch project (MIT).
#"""
# `{name}` placeholders of str.format: a translation must keep every one and add none.
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z_0-9]*)(?:[:!][^{}]*)?\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def po_path(language: str, directory: Path = LOCALES_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


async def command_tree_strings() -> list[tuple[str | None, str, str]]:
    """(msgctxt, English, where) of every string the command tree sends at sync, from the real tree of
    an offline bot (its extensions loaded on a throwaway database; nothing connects to Discord)."""
    from bot.app.client import EXTENSIONS, DPRKWatch
    from bot.app.settings import Settings
    from bot.db.database import Database
    from bot.i18n.translator import tree_strings

    with tempfile.TemporaryDirectory() as folder:
        async with (
            Database.open(Path(folder) / "extract.db") as db,
            DPRKWatch(settings=Settings(), db=db) as bot,
        ):
            for extension in EXTENSIONS:
                await bot.load_extension(extension)
            return await tree_strings(bot.tree, bot.tree.get_commands())


@dataclass(frozen=True)
class Marked:
    """A string to translate found in the code: its text (a tuple for singular and plural), msgctxt,
    where it is, and what the code says to its translators."""

    message: str | tuple[str, ...]
    context: str | None = None
    location: tuple[str, int] | None = None
    comments: tuple[str, ...] = ()


def source_strings(root: Path = PACKAGE_ROOT) -> list[Marked]:
    """Every string marked in the code (`_`, `N_`, `ngettext`, `pgettext`)."""
    found = []
    for folder in SOURCE_DIRS:
        for filename, line, message, comments, context in extract_from_dir(
            root / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            found.append(Marked(message, context, (f"{folder}/{filename}", line), tuple(comments)))
    return found


def model_strings() -> list[Marked]:
    """Labels the Discord-free model keeps in English and the cards translate where they show them
    (bot.facts.render.kind_label, figure_label): marked here rather than in the model."""
    return [
        *(Marked(label, comments=(f"a kind of fact ({kind})",)) for kind, label in KIND_LABELS.items()),
        *(
            Marked(label, comments=(f"a figure on a fact card ({name})",))
            for name, label in FIGURE_LABELS.items()
        ),
    ]


def build_template(tree: Iterable[tuple[str | None, str, str]], marked: Iterable[Marked]) -> Catalog:
    """The template: the command tree's strings first (as Discord shows them), then the code's."""
    template = Catalog(
        project=PROJECT, header_comment=HEADER.format(what="Translation template"), fuzzy=False
    )
    for context, message, where in tree:
        template.add(message, context=context, auto_comments=[where])
    for item in marked:
        template.add(
            item.message,
            context=item.context,
            locations=[item.location] if item.location else [],
            auto_comments=item.comments,
        )
    return template


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=100, ignore_obsolete=True, omit_header=False)


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


async def extract(directory: Path = LOCALES_DIR) -> Catalog:
    """Write the template and return it."""
    template = build_template(await command_tree_strings(), [*source_strings(), *model_strings()])
    write_catalog(template, directory / f"{DOMAIN}.pot")
    return template


def languages(directory: Path = LOCALES_DIR) -> list[str]:
    return sorted(path.parents[1].name for path in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update(template: Catalog, directory: Path = LOCALES_DIR) -> list[str]:
    """Bring every language's catalog in line with the template: new strings added untranslated,
    changed ones kept as fuzzy suggestions (not shown until a translator confirms them), gone ones
    dropped. Returns the languages updated."""
    updated = languages(directory)
    for language in updated:
        catalog = read_catalog(po_path(language, directory), language)
        catalog.update(template)
        write_catalog(catalog, po_path(language, directory))
    return updated


def init(language: str, template: Catalog, directory: Path = LOCALES_DIR) -> Path:
    """Start a catalog for a new language (a Discord locale code: `fr`, `pt-BR`, `zh-TW`)."""
    path = po_path(language, directory)
    if path.exists():
        raise FileExistsError(f"{path} exists: use `update`")
    locale = language.replace("-", "_")
    catalog = Catalog(locale=locale, project=PROJECT, fuzzy=False)
    assert catalog.locale is not None
    catalog.header_comment = HEADER.format(what=f"{catalog.locale.english_name} translations")
    catalog.update(template)
    write_catalog(catalog, path)
    return path


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.msgid!r}: {self.what}"


def check(template: Catalog, directory: Path = LOCALES_DIR) -> list[Problem]:
    """Every string of the template translated (not fuzzy, not empty) in every language, keeping the
    same `{placeholders}`; nothing translated that the template no longer has."""
    problems = []
    for language in languages(directory):
        catalog = read_catalog(po_path(language, directory), language)
        for message in template:
            if not message.id:
                continue
            msgid = singular(message.id)
            translated = catalog.get(message.id, message.context)
            forms = () if translated is None else _forms(translated.string)
            if translated is None or not forms or not all(forms):
                problems.append(Problem(language, msgid, "not translated"))
            elif translated.fuzzy:
                problems.append(Problem(language, msgid, "fuzzy: the English changed; check it"))
            else:
                wanted = set().union(*(placeholders(text) for text in _forms(message.id)))
                # A translator comment may offer another (`{rank}` in place of English's `{ordinal}`).
                offered = wanted.union(*(placeholders(note) for note in message.auto_comments))
                for form in forms:
                    used = placeholders(form)
                    if not used <= offered or len(used) < len(wanted):
                        problems.append(
                            Problem(
                                language,
                                msgid,
                                f"placeholders {sorted(placeholders(form))}, English {sorted(wanted)}",
                            )
                        )
        for message in catalog:
            if message.id and template.get(message.id, message.context) is None:
                problems.append(
                    Problem(language, singular(message.id), "no longer in the template (run update)")
                )
    return problems


def _forms(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)
