"""/stats and /map end to end through the emulator: the picture, its alt text and the category menu."""

from __future__ import annotations

import struct
import zlib

from tests.conftest import WatchEnv


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    (stored_crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert zlib.crc32(data[12 : 16 + length]) == stored_crc, "the PNG header chunk is corrupt"
    return width, height


async def test_stats_attaches_a_legible_chart_with_alt_text(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("stats", from_year=2010, to_year=2020)
    assert resp.deferred
    image = resp.attachments[0]
    assert image.filename == "stats.png"
    assert png_size(image.data)[0] >= 1600
    assert 20_000 < len(image.data) < 2_000_000
    embed = resp.embeds[0]
    assert embed["image"]["url"] == "attachment://stats.png"
    assert "Nuclear tests: **4** (#3, #4, #5, #6)" in embed["description"]
    points = await watch.bot.fact_store.stat_points(None, 2010, 2020)
    launch_days = sum(p.kind in ("missile_launch", "satellite_launch") for p in points)
    assert f"**Tests**: **{launch_days}** launch days" in embed["description"]
    assert image.description is not None
    assert f"tests: {launch_days} launch days" in image.description
    assert "#6 in 2017" in image.description


async def test_the_menu_switches_category_in_place(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("stats", from_year=2016, to_year=2017)
    assert "Sanctions" in resp.embeds[0]["description"]  # all three
    before = resp.attachments[0].data
    switched = await resp.select("Show another category", ["sanctions"])
    assert switched.deferred  # acknowledged at once, then the message is edited in place
    await switched.wait_for_edit()
    message = switched.message
    assert message is not None
    assert message is resp.message
    assert message is not None
    embed = message.embeds[0]
    assert embed["title"] == "Statistics 2016–2017 · sanctions"
    points = await watch.bot.fact_store.stat_points(None, 2016, 2017)
    measures = sum(p.kind in ("un_resolution", "unilateral") for p in points)
    assert f"**Sanctions**: **{measures}** measures" in embed["description"]
    assert "Tests" not in embed["description"]
    (image,) = message.attachments
    assert image.data != before
    assert image.description is not None
    assert f"sanctions: {measures} measures" in image.description
    assert image.description.startswith("Bar chart per month, 2016–2017")
    # Bob switches it again, to talks: the years stay those asked.
    again = await watch.member("bob").select(message, "Show another category", ["talks"])
    await again.wait_for_edit()
    assert message.embeds[0]["title"] == "Statistics 2016–2017 · talks"


async def test_the_current_year_is_marked_partial(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("stats", category="tests", from_year=2020)
    assert "2026 is still running: its count is partial" in resp.embeds[0]["description"]


async def test_stats_refuses_a_reversed_range(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("stats", from_year=2020, to_year=2010)
    assert resp.ephemeral
    assert "swap them" in resp.content


async def test_map_shows_sites_and_flights(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("map", from_year=2017, to_year=2017, **{"class": "ICBM"})
    image = resp.attachments[0]
    assert image.filename == "map.png"
    assert png_size(image.data)[0] >= 1600
    assert image.description is not None
    assert "2017: 3 launch days" in image.description
    assert "3 flights drawn as arcs" in image.description
    assert resp.embeds[0]["image"]["url"] == "attachment://map.png"
