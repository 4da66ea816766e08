"""Fact operations shared by the command line and the Discord cogs, over the store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.dataset.loader import load_dataset
from bot.facts.model import answering
from bot.facts.model import search as search_engine
from bot.facts.model.fact import KIND_CATEGORY, Category, Fact, dangling_links
from bot.facts.model.interchange import parse_import
from bot.facts.model.question import SystemVocabulary
from bot.facts.model.spelling import WordVocabulary
from bot.facts.model.topics import RecordTopics, TopicsBuilder
from bot.facts.store import FactRef, FactStore, ImportReport, SeedReport

# How far /chain walks back from a fact to the event it answers (a measure -> a resolution -> a test).
CHAIN_DEPTH = 3


class FactService:
    """Seeding, search, import and export of facts, with the rules that span several store calls."""

    def __init__(self, facts: FactStore):
        self.facts = facts
        self._vocabulary: list[str] | None = None
        self._systems: tuple[int, SystemVocabulary, RecordTopics] | None = None

    async def seed_from_dataset(self, dataset_dir: Path) -> SeedReport:
        dataset = load_dataset(dataset_dir)
        report = await self.facts.seed(dataset.facts, dataset.version, dataset.complete_to)
        self._vocabulary = None
        return report

    async def seed_if_empty(self, dataset_dir: Path) -> SeedReport | None:
        """Seed on first start only (an empty store)."""
        if await self.facts.count_by_category():
            return None
        return await self.seed_from_dataset(dataset_dir)

    async def search(
        self, text: str, *, category: Category | None = None, limit: int = 10
    ) -> list[search_engine.SearchResult]:
        vocabulary = await self.system_vocabulary()
        return await search_engine.search(
            self.facts, text, category=category, limit=limit, vocabulary=vocabulary
        )

    async def answer(self, text: str, *, category: Category | None = None) -> answering.Answer:
        """The question answered: a fact, a count with the facts counted, or a refusal with suggestions
        (see bot.facts.model.answering.Answer). Raises QueryError for empty or over-long text."""
        vocabulary = await self.system_vocabulary()
        assert self._systems is not None  # built with the vocabulary
        return await answering.answer(
            self.facts, text, vocabulary, category=category, topics=self._systems[2]
        )

    async def system_vocabulary(self) -> SystemVocabulary:
        """Every spelling of every launched system and every word of the record (what misspellings are
        corrected to), built once per version of the facts, with the record's names (RecordTopics)."""
        version = await self.facts.db.facts_version()
        if self._systems is None or self._systems[0] != version:
            topics = await self._record_topics()
            frequency = await self.facts.indexed_words()
            words = WordVocabulary.build(frequency, await self.facts.current_count(), topics.grams)
            systems = SystemVocabulary.build(await self.facts.launch_names(), words)
            self._systems = (version, systems, topics)
        return self._systems[1]

    async def _record_topics(self) -> RecordTopics:
        """The record's names from light rows a chunk at a time: never every fact built at once."""
        builder = TopicsBuilder()
        rows = await self.facts.topic_rows()
        while rows:
            for row in rows:
                builder.add(row.year, row.title, row.aliases, row.summary, row.figures)
            rows = await self.facts.topic_rows(rows[-1].rowid)
        return builder.topics()

    async def chain(self, fact: Fact) -> tuple[Fact, list[FactRef]]:
        """Cause and effect around `fact`: the event at its root (a test, say) and, in date order, what
        answered it (resolutions, unilateral measures, and what answered those) and the talks linked to
        it. The record's `responds_to` and `related` links decide; nothing is guessed."""
        root = fact
        for _ in range(CHAIN_DEPTH):  # up to the event that started it
            parent = await self.facts.get_fact(root.responds_to[0]) if root.responds_to else None
            if parent is None:
                break
            root = parent
        detail = await self.facts.detail_of(root)
        steps = {ref.id: ref for ref in detail.responses}
        for ref in detail.responses:
            answer = await self.facts.get_fact_detail(ref.id)
            if answer is not None:
                steps.update({r.id: r for r in answer.responses if r.id != root.id})
        talks = [ref for ref in detail.related if KIND_CATEGORY.get(ref.kind) is Category.TALKS]
        steps.update({ref.id: ref for ref in talks})
        return root, sorted(steps.values(), key=lambda ref: (ref.date.iso(), ref.id))

    async def did_you_mean(self, text: str) -> list[str]:
        if self._vocabulary is None:
            refs = await self.facts.autocomplete(None, limit=100_000)
            words = {w for ref in refs for w in search_engine.tokens(ref.title) if len(w) >= 4}
            self._vocabulary = sorted(words)
        return search_engine.did_you_mean(text, self._vocabulary)

    def forget_cached_vocabulary(self) -> None:
        """Facts changed: rebuild the did-you-mean vocabulary on next use."""
        self._vocabulary = None

    async def import_file(
        self, data: bytes, file_format: str, *, editor_id: int | None, editor_name: str, dry_run: bool
    ) -> ImportReport:
        """Validate a whole file, then apply it all or nothing. Any rejected record means nothing is
        applied, and the report lists every rejection. Raises ImportFileError for unreadable files."""
        parsed = parse_import(data, file_format)
        known = await self.facts.known_ids() | {f.id for f in parsed.facts}
        rejected = list(parsed.rejected)
        for problem in dangling_links(parsed.facts, known):
            fact_id, _, reason = problem.partition(": ")
            rejected.append((fact_id, reason))
        report = await self.facts.import_facts(
            parsed.facts, editor_id=editor_id, editor_name=editor_name, dry_run=dry_run or bool(rejected)
        )
        self._vocabulary = None
        return replace(report, rejected=tuple(rejected))
