"""The bot's own words in the member's language: Korean and Japanese beside English.

Call sites read like gettext: `_("Sources")`, `ngettext("{n} fact", "{n} facts", n).format(n=n)`.
The language is the one of the interaction being answered, set once per interaction at its entry point
(the command tree's and the components' `interaction_check`, and the one error path) in a ContextVar:
discord.py runs each interaction's checks, callback and error handler in one task, so everything said
in answer to it reads the same language. Elsewhere (the scheduler, the command line) it is English.

Strings kept in constants are marked with `N_` (found by extraction, translated where shown with `_`).
Catalogs are gettext `.po` files in `bot/i18n/locales/<language>/LC_MESSAGES/messages.po`, read with
Babel at first use; `python -m bot.i18n` extracts, updates and checks them (see the README).
"""

from bot.i18n.catalog import (
    DEFAULT_LOCALE,
    N_,
    Catalogs,
    _,
    catalogs,
    current_locale,
    language_of,
    long_date,
    month_or_year,
    ngettext,
    pgettext,
    set_locale,
    using_locale,
    weekday,
)

__all__ = [
    "DEFAULT_LOCALE",
    "N_",
    "Catalogs",
    "_",
    "catalogs",
    "current_locale",
    "language_of",
    "long_date",
    "month_or_year",
    "ngettext",
    "pgettext",
    "set_locale",
    "using_locale",
    "weekday",
]
