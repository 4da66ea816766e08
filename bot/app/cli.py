"""The `python -m bot` / `dprk-watch` command line. Everything but `run` works without a token."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from bot.app.settings import Settings, SettingsError
from bot.core.clock import SystemClock
from bot.dataset.loader import DatasetError
from bot.db.database import Database, StoreError
from bot.facts.model.fact import Category
from bot.facts.model.interchange import ImportFileError, export_facts, format_from_name
from bot.facts.model.search import QueryError
from bot.facts.service import FactService
from bot.facts.store import FactStore, ImportReport
from bot.quiz.bank import QuestionBank
from bot.quiz.planner import plan_days
from bot.quiz.report import bank_output, corrections_output, preview_output
from bot.quiz.store import QuizStore

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
MAX_PREVIEW_DAYS = 366

NO_TOKEN_HELP = """\
DPRK Watch needs a Discord bot token to connect to Discord.

  1. Create an application at https://discord.com/developers/applications, add a Bot, and copy its token.
  2. Put it in the environment (export DISCORD_TOKEN=...) or in a file named .env: DISCORD_TOKEN=...
  3. Start the bot again: python -m bot

To try what the bot knows without Discord:
  python -m bot ask "when was the sixth nuclear test?"
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dprk-watch", description="DPRK Watch: a sourced record on Discord."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="start the bot (the default)")

    db = commands.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", metavar="ACTION"
    )
    db.required = True
    db.add_parser("migrate", help="apply pending schema migrations")
    db.add_parser("seed", help="load data/ into the store (keeps moderator edits)")
    backup = db.add_parser("backup", help="copy the live database to a new file (online backup)")
    backup.add_argument("path", type=Path)

    facts = commands.add_parser("facts", help="export and import facts").add_subparsers(
        dest="facts_command", metavar="ACTION"
    )
    facts.required = True
    export = facts.add_parser("export", help="write facts to stdout")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--category", choices=[c.value for c in Category])
    import_ = facts.add_parser("import", help="add or replace facts from an export file, all or nothing")
    import_.add_argument("file", type=Path)
    import_.add_argument("--dry-run", action="store_true", help="report what would change; change nothing")

    quiz = commands.add_parser("quiz", help="the quiz's questions").add_subparsers(
        dest="quiz_command", metavar="ACTION"
    )
    quiz.required = True
    bank = quiz.add_parser("bank", help="every question the bot can post from the current database")
    bank.add_argument("--format", choices=("text", "json"), default="text")
    quiz.add_parser(
        "corrections",
        help="hand-written questions corrected from Discord, as tables for data/quiz/questions.toml",
    )
    preview = quiz.add_parser("preview", help="the questions a server gets on its next days")
    preview.add_argument("--days", type=int, default=7, help="how many days (1-366, default 7)")
    preview.add_argument("--server", type=int, help="the server id (needed if several set up the quiz)")
    preview.add_argument(
        "--from", dest="start", type=date.fromisoformat, help="first local date (default: the next post's)"
    )
    preview.add_argument("--format", choices=("text", "json"), default="text")

    ask = commands.add_parser("ask", help="print the facts that best answer a question")
    ask.add_argument("question")
    ask.add_argument("--limit", type=int, default=3)
    return parser


async def _with_service(settings: Settings, action: Callable[[Database, FactService], Awaitable[int]]) -> int:
    async with Database.open(settings.database_path) as db:
        service = FactService(FactStore(db))
        await service.seed_if_empty(settings.dataset_dir)
        return await action(db, service)


async def _migrate(settings: Settings) -> int:
    async with Database.open(settings.database_path) as db:
        print(f"Database {settings.database_path} is at schema version {await db.schema_version()}.")
    return EXIT_OK


async def _seed(settings: Settings) -> int:
    async with Database.open(settings.database_path) as db:
        report = await FactService(FactStore(db)).seed_from_dataset(settings.dataset_dir)
    print(
        f"Dataset {report.version}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.kept_edits)} kept as edited by moderators."
    )
    return EXIT_OK


async def _backup(settings: Settings, target: Path) -> int:
    async with Database.open(settings.database_path) as db:
        await db.backup(target)
    print(f"Backed up {settings.database_path} to {target}.")
    return EXIT_OK


def _print_import(report: ImportReport, dry_run: bool) -> None:
    print(
        f"{len(report.added)} to add, {len(report.changed)} to change, {len(report.unchanged)} unchanged, "
        f"{len(report.rejected)} rejected."
    )
    for label, reason in report.rejected:
        print(f"  rejected {label}: {reason}")
    if report.applied:
        print("Import applied.")
    elif report.rejected:
        print("Nothing was changed: fix the rejected records and import the file again.")
    elif dry_run:
        print("Dry run: nothing was changed.")


async def _run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "db":
        if args.db_command == "migrate":
            return await _migrate(settings)
        if args.db_command == "seed":
            return await _seed(settings)
        return await _backup(settings, args.path)

    if args.command == "facts" and args.facts_command == "export":
        category = Category(args.category) if args.category else None

        async def export(db: Database, service: FactService) -> int:
            sys.stdout.write(export_facts(await service.facts.all_facts(category), args.format))
            return EXIT_OK

        return await _with_service(settings, export)

    if args.command == "facts":
        try:
            data = args.file.read_bytes()
        except OSError as error:
            print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
            return EXIT_FAILURE
        file_format = format_from_name(args.file.name)

        async def import_(db: Database, service: FactService) -> int:
            report = await service.import_file(
                data, file_format, editor_id=None, editor_name="command line", dry_run=args.dry_run
            )
            _print_import(report, args.dry_run)
            return EXIT_FAILURE if report.rejected else EXIT_OK

        return await _with_service(settings, import_)

    if args.command == "quiz":
        return await _with_service(settings, lambda db, service: _quiz(args, settings, db, service))

    async def ask(db: Database, service: FactService) -> int:
        answer = await service.answer(args.question)
        if answer.refused:
            print(answer.lead)
            for fact in answer.suggestions:
                print(f"  Related: {fact.title} ({fact.date_text}) [{fact.id}]")
            return EXIT_FAILURE
        if answer.kind == "count":
            print(f"{answer.lead}:")
        for fact in answer.facts[: max(1, min(args.limit, 10))]:
            print(f"{fact.title} ({fact.date_text}) [{fact.id}]\n  {fact.summary}")
            for source in fact.sources[:3]:
                print(f"  Source: {source.publisher}, {source.url}")
        return EXIT_OK

    return await _with_service(settings, ask)


async def _quiz(args: argparse.Namespace, settings: Settings, db: Database, service: FactService) -> int:
    store = QuizStore(db)
    bank = QuestionBank(service.facts, store, settings.dataset_dir)
    questions = await bank.questions()
    if args.quiz_command == "bank":
        sys.stdout.write(bank_output(questions, bank.fact, args.format))
        return EXIT_OK
    if args.quiz_command == "corrections":
        sys.stdout.write(corrections_output(await bank.corrections()))
        return EXIT_OK
    if not 1 <= args.days <= MAX_PREVIEW_DAYS:
        print(f"error: --days must be 1-{MAX_PREVIEW_DAYS}", file=sys.stderr)
        return EXIT_USAGE
    scheduled = {g.settings.guild_id: g for g in await store.scheduled_guilds()}
    if args.server is None and len(scheduled) != 1:
        ids = ", ".join(str(i) for i in scheduled) or "none"
        print(f"error: give --server ID (servers with the daily quiz: {ids})", file=sys.stderr)
        return EXIT_USAGE
    guild_id = args.server if args.server is not None else next(iter(scheduled))
    server = scheduled.get(guild_id)
    if server is None:
        print(f"error: server {guild_id} has no daily quiz set up", file=sys.stderr)
        return EXIT_FAILURE
    schedule = server.settings.schedule
    start = args.start or schedule.local_date(schedule.next_post_at(SystemClock().now(), server.last_handled))
    days = await plan_days(questions, store, guild_id, start, args.days)
    sys.stdout.write(preview_output(guild_id, days, bank.fact, args.format))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m bot` and the `dprk-watch` script."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    settings.configure_logging()
    if args.command in (None, "run"):
        if not settings.discord_token:
            print(NO_TOKEN_HELP, file=sys.stderr)
            return EXIT_USAGE
        from bot.app.runner import run_bot

        return run_bot(settings)
    try:
        return asyncio.run(_run_command(args, settings))
    except (StoreError, DatasetError, ImportFileError, QueryError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILURE
