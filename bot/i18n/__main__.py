"""`python -m bot.i18n extract|update|init LANGUAGE|check`: keep the translation catalogs in step."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.i18n import tools


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.i18n", description="Keep the translation catalogs (bot/i18n/locales) in step."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("extract", help="write locales/messages.pot from the code and the command tree")
    commands.add_parser("update", help="extract, then add new strings to every language's .po file")
    new = commands.add_parser("init", help="extract, then start a .po file for a new language")
    new.add_argument("language", help="a Discord locale code, e.g. fr, pt-BR, zh-TW")
    commands.add_parser(
        "check", help="list strings missing, fuzzy or with wrong placeholders; status 1 if any"
    )
    args = parser.parse_args(argv)

    template = asyncio.run(tools.extract())
    print(f"{tools.TEMPLATE.relative_to(tools.PACKAGE_ROOT)}: {len(template)} strings")
    if args.command == "update":
        for language in tools.update(template):
            print(f"updated {tools.po_path(language).relative_to(tools.PACKAGE_ROOT)}")
    elif args.command == "init":
        print(f"created {tools.init(args.language, template).relative_to(tools.PACKAGE_ROOT)}")
    elif args.command == "check":
        problems = tools.check(template)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problems in {', '.join(tools.languages())}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
