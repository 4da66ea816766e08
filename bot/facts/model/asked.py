"""The typed figures a question asks about: superlatives ("highest", "greatest distance", "the second
biggest"), and true/false figures ("flown over Japan": `overflew_japan`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Superlatives over typed figures: the word, the figure, and whether the largest value wins.
SUPERLATIVES: dict[str, tuple[str, bool]] = {
    "highest": ("apogee_km", True), "altitude": ("apogee_km", True), "apogee": ("apogee_km", True),
    "farthest": ("distance_km", True), "furthest": ("distance_km", True), "longest": ("distance_km", True),
    "salvo": ("missiles", True),
    "largest": ("yield_kt_max", True), "biggest": ("yield_kt_max", True), "powerful": ("yield_kt_max", True),
    "strongest": ("yield_kt_max", True), "yield": ("yield_kt_max", True),
    "weakest": ("yield_kt_max", False), "smallest": ("yield_kt_max", False),
    "fewest": ("votes_for", False),
}  # fmt: skip
# A superlative naming its figure ("greatest distance", "largest number of missiles"): the figure named
# wins over the adjective's own ("largest" alone is a yield).
MORE = frozenset("largest biggest greatest highest longest maximum max most top record".split())
LESS = frozenset("smallest lowest shortest least fewest minimum min".split())
FIGURE_NOUNS = {
    "distance": "distance_km", "range": "distance_km", "altitude": "apogee_km", "apogee": "apogee_km",
    "height": "apogee_km", "magnitude": "magnitude", "yield": "yield_kt_max", "salvo": "missiles",
    "votes": "votes_for", "vote": "votes_for", "favour": "votes_for", "favor": "votes_for",
}  # fmt: skip
_MOST_MISSILES = re.compile(
    r"\b(?:number of|amount of) (?:missiles|rockets)\b|\bmissiles (?:fired|launched)\b"
)
# Typed true/false figures a question asks for ("flown over Japan": overflew_japan).
_OVER_JAPAN = re.compile(
    r"\b(?:over|overflew|overflown|overflying|overflight|overflights|above|across)(?: \w+)? "
    r"(?:japan|japanese|hokkaido|okinawa)\b"
)


def named_figure(words: Sequence[str]) -> tuple[str, bool] | None:
    """The figure and direction of a superlative that names its figure ("greatest distance", "lowest
    apogee", "largest number of missiles"), if the question has one."""
    more, less = MORE.intersection(words), LESS.intersection(words)
    if not more and not less:
        return None
    text = " ".join(words)
    if more and _MOST_MISSILES.search(text):
        return ("missiles", True)
    figure = next((FIGURE_NOUNS[w] for w in words if w in FIGURE_NOUNS), None)
    return (figure, bool(more)) if figure else None


def over_japan(folded: str, words: Sequence[str]) -> bool:
    if _OVER_JAPAN.search(" ".join(words)):
        return True
    return ("日本" in folded and "上空" in folded) or ("일본" in folded and "상공" in folded)
