"""The CNS North Korea Missile Test Database's JSON format, read into launch days and launch drafts.

The file is `{"timeBins": [{"year": ..., "data": [missile, ...]}]}`, one entry per missile: `date`
(UTC), `time` ("21:10 (UTC)" or "unknown"), `missile` and `facility` slugs, `apogee` and `distance`
in km (numbers, numeric strings, "unknown" or "na"), `bearing`, `outcome`. Launch days in the record
are Korean dates: a launch with a known time is dated UTC+9 (data/README.md, Conventions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.moderation.model.drafts import Draft, figures_template
from bot.watchers.model.config import Feed
from bot.watchers.model.leads import FoundLead, MalformedFeed, korean_date

CNS_URL = "https://www.nti.org/analysis/articles/cns-north-korea-missile-test-database/"
CNS_PUBLISHER = "James Martin Center for Nonproliferation Studies (CNS) / Nuclear Threat Initiative"
CNS_TITLE = "The CNS North Korea Missile Test Database"
UNIDENTIFIED = "Unidentified missile"

# CNS's system slugs: the record's name for each and its class (data/README.md, classes).
SYSTEMS: dict[str, tuple[str, str]] = {
    "chollima-1": ("Chollima-1", "SLV"),
    "er-scud": ("ER Scud", "MRBM"),
    "hwasong-11a": ("Hwasong-11A (KN-23)", "SRBM"),
    "hwasong-11b": ("Hwasong-11B (KN-24)", "SRBM"),
    "hwasong-11c": ("Hwasong-11C (KN-30)", "SRBM"),
    "hwasong-11d": ("Hwasong-11D (KN-35)", "SRBM"),
    "hwasong-11-da-45": ("Hwasong-11-Da-4.5", "SRBM"),
    "hwasong-11e": ("Hwasong-11E", "MRBM"),
    "hwasong-11s": ("Hwasong-11S (KN-33)", "SLBM"),
    "hwasong-12": ("Hwasong-12", "IRBM"),
    "hwasong-12a": ("Hwasong-12A", "MRBM"),
    "hwasong-12b": ("Hwasong-12B", "HGV"),
    "hwasong-14": ("Hwasong-14", "ICBM"),
    "hwasong-15": ("Hwasong-15", "ICBM"),
    "hwasong-16a": ("Hwasong-16A", "IRBM"),
    "hwasong-16b": ("Hwasong-16B", "IRBM"),
    "hwasong-17": ("Hwasong-17", "ICBM"),
    "hwasong-18": ("Hwasong-18", "ICBM"),
    "hwasong-19": ("Hwasong-19", "ICBM"),
    "kn-02": ("KN-02", "SRBM"),
    "kn-25": ("KN-25", "SRBM"),
    "musudan": ("Musudan", "IRBM"),
    "new-irbm-2022": ("New IRBM 2022", "IRBM"),
    "nodong": ("Nodong", "MRBM"),
    "pukguksong-1": ("Pukguksong-1", "SLBM"),
    "pukguksong-2": ("Pukguksong-2", "MRBM"),
    "pukguksong-3": ("Pukguksong-3", "SLBM"),
    "rail-mobile-kn-23": ("Rail-mobile KN-23", "SRBM"),
    "scud-b": ("Scud-B", "SRBM"),
    "scud-b-marv": ("Scud-B MaRV", "SRBM"),
    "scud-c": ("Scud-C", "SRBM"),
    "scud-c-marv": ("Scud-C MaRV", "SRBM"),
    "silo-based-kn-23": ("Silo-based KN-23", "SRBM"),
    "taepodong-1": ("Taepodong-1", "SLV"),
    "unha": ("Unha", "SLV"),
    "unha-3": ("Unha-3", "SLV"),
    "unknown": (UNIDENTIFIED, "Unknown"),
}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Missile:
    """One CNS entry, its figures typed (None where CNS has none)."""

    utc_date: date
    utc_time: tuple[int, int] | None
    system: str
    facility: str
    apogee_km: float | None
    distance_km: float | None
    bearing_deg: float | None
    outcome: str

    @property
    def korean_date(self) -> date:
        if self.utc_time is None:
            return self.utc_date
        hour, minute = self.utc_time
        moment = datetime(
            self.utc_date.year, self.utc_date.month, self.utc_date.day, hour, minute, tzinfo=UTC
        )
        return korean_date(moment)


@dataclass(frozen=True)
class LaunchDay:
    """A Korean launch day: its missiles in CNS order."""

    day: date
    missiles: tuple[Missile, ...]


def parse_cns(body: bytes) -> list[LaunchDay]:
    """The launch days of a CNS JSON file, by Korean date, oldest first. Raise MalformedFeed when the
    file is not in the format; an entry whose date cannot be read is skipped, never guessed."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedFeed(f"not JSON ({error})") from None
    bins = data.get("timeBins") if isinstance(data, dict) else None
    if not isinstance(bins, list):
        raise MalformedFeed('not the CNS format (no "timeBins" list)')
    days: dict[date, list[Missile]] = {}
    for time_bin in bins:
        entries = time_bin.get("data") if isinstance(time_bin, dict) else None
        if not isinstance(entries, list):
            raise MalformedFeed('not the CNS format (a time bin without a "data" list)')
        for entry in entries:
            missile = _missile(entry)
            if missile is not None:
                days.setdefault(missile.korean_date, []).append(missile)
    return [LaunchDay(day, tuple(missiles)) for day, missiles in sorted(days.items())]


def _missile(entry: Any) -> Missile | None:
    if not isinstance(entry, dict):
        return None
    try:
        utc_date = date.fromisoformat(str(entry.get("date")))
    except ValueError:
        return None
    time_match = _TIME.match(str(entry.get("time", "")))
    utc_time = (int(time_match[1]), int(time_match[2])) if time_match else None
    if utc_time is not None and not (utc_time[0] < 24 and utc_time[1] < 60):
        utc_time = None
    outcome = str(entry.get("outcome", "unknown")).lower()
    return Missile(
        utc_date=utc_date,
        utc_time=utc_time,
        system=str(entry.get("missile") or "unknown"),
        facility=str(entry.get("facility") or "unknown"),
        apogee_km=_number(entry.get("apogee")),
        distance_km=_number(entry.get("distance")),
        bearing_deg=_number(entry.get("bearing")),
        outcome=outcome if outcome in ("success", "failure") else "unknown",
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def day_outcome(missiles: tuple[Missile, ...]) -> str:
    """success / failure / partial / unknown over the rated missiles (data/README.md, Conventions)."""
    rated = {m.outcome for m in missiles if m.outcome in ("success", "failure")}
    if not rated:
        return "unknown"
    return rated.pop() if len(rated) == 1 else "partial"


def _whole(value: float) -> int | float:
    return int(value) if value == int(value) else value


def launch_figures(day: LaunchDay, facility_names: Mapping[str, str]) -> dict[str, Any]:
    """The record's launch figures for a CNS launch day: the highest apogee and farthest distance, with
    the bearing of that farthest flight."""
    systems = [SYSTEMS.get(m.system, (m.system, "Unknown")) for m in day.missiles]
    figures: dict[str, Any] = {
        "systems": list(dict.fromkeys(name for name, _ in systems)),
        "system_classes": list(dict.fromkeys(kind for _, kind in systems)),
        "missiles": len(day.missiles),
        "facility": " / ".join(
            dict.fromkeys(
                facility_names.get(m.facility, m.facility.replace("-", " ").title()) for m in day.missiles
            )
        ),
    }
    apogees = [m.apogee_km for m in day.missiles if m.apogee_km is not None]
    if apogees:
        figures["apogee_km"] = _whole(max(apogees))
    flown = [m for m in day.missiles if m.distance_km is not None]
    if flown:
        farthest = max(flown, key=lambda m: m.distance_km or 0)
        figures["distance_km"] = _whole(farthest.distance_km or 0)
        if farthest.bearing_deg is not None:
            figures["bearing_deg"] = _whole(farthest.bearing_deg)
    figures["outcome"] = day_outcome(day.missiles)
    return figures


def launch_draft(day: LaunchDay, facility_names: Mapping[str, str]) -> Draft:
    """A complete draft of the launch day for the add form: dated in Korea, the CNS figures, CNS as the
    source. The summary and body are left to the moderator, who writes them in their own words."""
    figures = launch_figures(day, facility_names)
    kind = "satellite_launch" if "SLV" in figures["system_classes"] else "missile_launch"
    when = f"{day.day.day} {day.day:%B %Y}"
    count = figures["missiles"]
    classes = "/".join(c for c in figures["system_classes"] if c != "Unknown") or "missile"
    noun = "launch" if count == 1 else "launches"
    systems = ", ".join(figures["systems"])
    title = f"{count} {classes} {noun} ({systems}), {when}"
    utc_dates = sorted({m.utc_date for m in day.missiles})
    note = ""
    if utc_dates != [day.day]:
        first = next(m for m in day.missiles if m.utc_date != day.day and m.utc_time is not None)
        note = (
            f"CNS dates this launch day {first.utc_date.day} {first.utc_date:%B %Y} (UTC); the launch time, "
            f"{first.utc_time[0]:02d}:{first.utc_time[1]:02d} UTC, is {when} in Korea (KST, UTC+9), the date "
            "used here."
            if first.utc_time
            else ""
        )
    return Draft(
        kind=kind,
        fact_id=f"launch-{day.day.isoformat()}",
        title=title[:100],
        dates=day.day.isoformat(),
        figures=figures_template(kind, figures),
        sources=f"{CNS_URL} | {CNS_PUBLISHER} | {CNS_TITLE} | {day.day:%Y-%m}",
        note=note,
        reason="Launch day found in the CNS database feed",
    )


def cns_leads(feed: Feed, body: bytes, facility_names: Mapping[str, str]) -> list[FoundLead]:
    """Every launch day of a CNS file as a lead (the caller drops the days the record has)."""
    leads = []
    for day in parse_cns(body):
        draft = launch_draft(day, facility_names)
        leads.append(
            FoundLead(
                feed=feed.name,
                key=f"launch-day:{day.day.isoformat()}",
                title=draft.title,
                date=day.day.isoformat(),
                link=CNS_URL,
                matched=f"a launch day the record lacks ({len(day.missiles)} missile"
                + ("" if len(day.missiles) == 1 else "s")
                + " in CNS)",
                draft=draft,
                launch_date=day.day.isoformat(),
            )
        )
    return leads
