"""Translation catalogs (gettext `.po`, read with Babel) and the language of the interaction at hand."""

from __future__ import annotations

import calendar
import functools
import gettext
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date, format_skeleton, get_day_names
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "en-US"

_locale: ContextVar[str] = ContextVar("dprk_watch_locale", default=DEFAULT_LOCALE)

# (msgctxt, msgid) -> msgstr; for plural messages msgid is the singular and msgstr a tuple of forms.
_Key = tuple[str | None, str]


@dataclass(frozen=True)
class Catalogs:
    """Every language's translations, read once: `translate` is a dictionary lookup."""

    messages: Mapping[str, Mapping[_Key, str | tuple[str, ...]]]
    plural_forms: Mapping[str, Callable[[int], int]]

    @property
    def languages(self) -> frozenset[str]:
        """The languages held, named as Discord names locales (`ko`, `ja`); English is the source."""
        return frozenset(self.messages)

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalogs:
        """Read every `<language>/LC_MESSAGES/messages.po` under `directory`. Fuzzy and empty
        translations are left out, as `msgfmt` leaves them out: English shows instead."""
        messages: dict[str, dict[_Key, str | tuple[str, ...]]] = {}
        plural_forms: dict[str, Callable[[int], int]] = {}
        for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            language = path.parents[1].name
            with path.open("rb") as file:
                catalog = read_po(file, ignore_obsolete=True)
            table: dict[_Key, str | tuple[str, ...]] = {}
            for message in catalog:
                if not message.id or message.fuzzy:
                    continue
                msgid = singular(message.id)
                string = message.string
                if isinstance(string, str):
                    if string:
                        table[(message.context, msgid)] = string
                elif string and all(string):
                    table[(message.context, msgid)] = tuple(string)
            messages[language] = table
            plural_forms[language] = gettext.c2py(catalog.plural_expr)
        return cls(messages, plural_forms)

    def translate(self, language: str | None, message: str, context: str | None = None) -> str | None:
        """The translation of `message` (in `context`), or None when there is none."""
        if language is None:
            return None
        found = self.messages.get(language, {}).get((context, message))
        if isinstance(found, tuple):
            return found[0]
        return found

    def translate_plural(self, language: str | None, singular: str, plural: str, n: int) -> str:
        """The form the language's `Plural-Forms` rule picks for `n` (Korean and Japanese have one);
        without a translation, English's two."""
        found = self.messages.get(language, {}).get((None, singular)) if language else None
        if isinstance(found, tuple):
            assert language is not None
            return found[min(self.plural_forms[language](n), len(found) - 1)]
        return singular if n == 1 else plural


def singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    """A message's id: its text, or for a plural message its singular."""
    return msgid if isinstance(msgid, str) else msgid[0]


@functools.cache
def catalogs() -> Catalogs:
    """The shipped catalogs, read on first use."""
    return Catalogs.load()


def language_of(locale: object) -> str | None:
    """The catalog language for a Discord locale (`ko`, `ja`; `pt-BR` would fall back to `pt`), or
    None for English and for languages without a catalog."""
    return _language_of(str(getattr(locale, "value", locale)))


@functools.cache
def _language_of(code: str) -> str | None:
    languages = catalogs().messages
    if code in languages:
        return code
    base = code.split("-")[0]
    return base if base in languages else None


def set_locale(locale: object) -> None:
    """Answer in `locale` (a `discord.Locale` or its code) for the rest of this task."""
    _locale.set(str(getattr(locale, "value", locale)))


def current_locale() -> str:
    return _locale.get()


@contextmanager
def using_locale(locale: object) -> Iterator[None]:
    """Speak `locale` inside the block only (for work outside an interaction's task)."""
    token = _locale.set(str(getattr(locale, "value", locale)))
    try:
        yield
    finally:
        _locale.reset(token)


def _(message: str) -> str:
    """`message` in the current interaction's language, else as written."""
    return catalogs().translate(_language_of(_locale.get()), message) or message


def pgettext(context: str, message: str) -> str:
    """`message` as meant in `context` (the same English word for two things)."""
    return catalogs().translate(_language_of(_locale.get()), message, context) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n`; format the count in afterwards (`.format(n=n)`)."""
    return catalogs().translate_plural(_language_of(_locale.get()), singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for extraction; translate it where it is shown, with `_`."""
    return message


def weekday(index: int) -> str:
    """A day of the week (0 is Monday) as the member's language names it: `Monday`, `월요일`, `月曜日`."""
    language = _language_of(_locale.get())
    if language is None:
        return calendar.day_name[index]
    return get_day_names("wide", locale=language.replace("-", "_"))[index]


def long_date(day: date) -> str:
    """A calendar day as the member's language writes it: `8 December 2026`, `2026년 12월 8일`,
    `2026年12月8日` (CLDR's long format, through Babel, for every language but English)."""
    language = _language_of(_locale.get())
    if language is None:
        return f"{day.day} {day:%B %Y}"
    return format_date(day, format="long", locale=language.replace("-", "_"))


def month_or_year(year: int | None, month: int | None = None) -> str:
    """A year, a month or a month of a year as the member's language writes it: `March 2022`,
    `2022년 3월`, `2022年3月` (CLDR's skeletons, through Babel, for every language but English)."""
    language = _language_of(_locale.get())
    if language is None:
        return " ".join(
            part for part in (calendar.month_name[month] if month else "", str(year or "")) if part
        )
    skeleton = ("y" if year else "") + ("MMMM" if month else "")
    return format_skeleton(skeleton, date(year or 2000, month or 1, 1), locale=language.replace("-", "_"))
