"""Text folding shared by search and the store: lowercase, diacritics stripped, split into words."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase and strip diacritics, as the FTS tokenizer does (Hwasŏng -> hwasong)."""
    if text.isascii():  # nothing to strip: the common case, and a hot path
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def name_key(text: str) -> str:
    """A name as autocomplete compares it: folded words joined by single spaces, so that what someone
    types is a prefix of it ("hwasong 1" and "Hwasŏng-1" both lead to "hwasong 15 icbm test")."""
    return " ".join(tokens(text))
