"""Kind-specific figures of a fact (yields, systems, votes, participants): their types and validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ISSUERS = ("us", "japan", "south_korea", "eu", "other")
LAUNCH_OUTCOMES = ("success", "failure", "partial", "unknown")
SYSTEM_CLASSES = ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "SLV", "HGV", "Unknown")
MAX_LIST_ITEMS = 40
MAX_SOURCE_TEXT = 300  # also the limit for a figure's text and a source's publisher and title

_NUM = "number"
_INT = "integer"
_STR = "text"
_STRS = "list of text"
_BOOL = "true/false"

_LAUNCH_FIGURES: dict[str, tuple[str, bool]] = {
    "systems": (_STRS, True),
    "system_classes": (_STRS, True),
    "missiles": (_INT, True),
    "facility": (_STR, False),
    "apogee_km": (_NUM, False),
    "distance_km": (_NUM, False),
    "bearing_deg": (_NUM, False),  # compass bearing of the flight, degrees clockwise from north
    "outcome": (_STR, True),
    "overflew_japan": (_BOOL, False),
}
_TALKS_FIGURES: dict[str, tuple[str, bool]] = {
    "participants": (_STRS, True),
    "venue": (_STR, False),
    "outcome": (_STR, False),
}
_VOTE_FIGURES: dict[str, tuple[str, bool]] = {
    "votes_for": (_INT, True),
    "votes_against": (_INT, True),
    "abstentions": (_INT, True),
}

# kind -> figure name -> (type, required)
FIGURE_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "nuclear_test": {
        "test_number": (_INT, True),
        "site": (_STR, True),
        "yield_kt_min": (_NUM, False),
        "yield_kt_max": (_NUM, False),
        "magnitude": (_NUM, False),
    },
    "missile_launch": _LAUNCH_FIGURES,
    "satellite_launch": _LAUNCH_FIGURES | {"payload": (_STR, False)},
    "un_resolution": {"resolution_number": (_INT, True), **_VOTE_FIGURES, "measures": (_STRS, False)},
    "un_draft": {"draft_symbol": (_STR, False), **_VOTE_FIGURES, "vetoed_by": (_STRS, False)},
    "un_body": {"established_by": (_INT, False)},
    "unilateral": {"issuer": (_STR, True), "instrument": (_STR, False), "measures": (_STRS, False)},
    "agreement": _TALKS_FIGURES,
    "multilateral": _TALKS_FIGURES | {"round": (_INT, False), "phase": (_INT, False)},
    "summit": _TALKS_FIGURES,
    "bilateral": _TALKS_FIGURES,
    "withdrawal": {"participants": (_STRS, False), "outcome": (_STR, False)},
}

FIGURE_LABELS: dict[str, str] = {
    "test_number": "Test number",
    "site": "Site",
    "yield_kt_min": "Yield (low estimate)",
    "yield_kt_max": "Yield (high estimate)",
    "magnitude": "Magnitude (USGS)",
    "systems": "Systems",
    "system_classes": "Class",
    "missiles": "Missiles",
    "facility": "Launch site",
    "apogee_km": "Apogee",
    "distance_km": "Distance",
    "bearing_deg": "Bearing (degrees from north)",
    "outcome": "Outcome",
    "overflew_japan": "Overflew Japan",
    "payload": "Payload",
    "resolution_number": "Resolution",
    "votes_for": "For",
    "votes_against": "Against",
    "abstentions": "Abstentions",
    "measures": "Measures",
    "draft_symbol": "Draft",
    "vetoed_by": "Vetoed by",
    "established_by": "Established by resolution",
    "issuer": "Issued by",
    "instrument": "Instrument",
    "participants": "Participants",
    "venue": "Venue",
    "round": "Round",
    "phase": "Phase",
}


def _check_figure(name: str, expected: str, value: Any) -> str | None:
    ok: bool
    if expected == _INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected == _NUM:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    elif expected == _STR:
        ok = isinstance(value, str) and 0 < len(value.strip()) <= MAX_SOURCE_TEXT
    elif expected == _STRS:
        ok = (
            isinstance(value, list)
            and len(value) <= MAX_LIST_ITEMS
            and all(isinstance(v, str) and 0 < len(v.strip()) <= MAX_SOURCE_TEXT for v in value)
        )
    else:
        ok = isinstance(value, bool)
    if not ok:
        return f"figure {name!r} must be {expected} (got {value!r})"
    return None


def validate_figures(kind: str, figures: Mapping[str, Any]) -> list[str]:
    """Every problem with `figures` for a fact of `kind`."""
    schema = FIGURE_SCHEMA[kind]
    problems = [
        f"figure {name!r} is required for {kind}"
        for name, (_, req) in schema.items()
        if req and name not in figures
    ]
    for name, value in figures.items():
        if name not in schema:
            problems.append(f"unknown figure {name!r} for {kind} (known: {', '.join(schema)})")
            continue
        problem = _check_figure(name, schema[name][0], value)
        if problem:
            problems.append(problem)
    if problems:
        return problems
    if kind in ("missile_launch", "satellite_launch"):
        if figures["outcome"] not in LAUNCH_OUTCOMES:
            problems.append(f"outcome must be one of {', '.join(LAUNCH_OUTCOMES)}")
        problems += [
            f"unknown system class {c!r}" for c in figures["system_classes"] if c not in SYSTEM_CLASSES
        ]
        if figures["missiles"] < 1:
            problems.append("missiles must be at least 1")
    if not 0 <= figures.get("bearing_deg", 0) < 360:
        problems.append("bearing_deg must be at least 0 and below 360")
    if kind == "unilateral" and figures["issuer"] not in ISSUERS:
        problems.append(f"issuer must be one of {', '.join(ISSUERS)}")
    low, high = figures.get("yield_kt_min"), figures.get("yield_kt_max")
    if low is not None and high is not None and low > high:
        problems.append("yield_kt_min is larger than yield_kt_max")
    for name in (
        "apogee_km",
        "distance_km",
        "yield_kt_min",
        "yield_kt_max",
        "votes_for",
        "votes_against",
        "abstentions",
        "resolution_number",
        "test_number",
        "established_by",
    ):
        if name in figures and figures[name] < 0:
            problems.append(f"figure {name!r} cannot be negative")
    if kind in ("un_resolution", "un_draft"):
        total = figures["votes_for"] + figures["votes_against"] + figures["abstentions"]
        if total > 15:
            problems.append(f"the Security Council has 15 members, but the vote adds up to {total}")
    return problems
