"""Per-member cooldowns: limits per member and server, and forgetting members whose window has passed."""

from __future__ import annotations

import pytest

from bot.kit.cooldowns import MemberCooldown, SlowDown


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_each_member_of_each_server_has_their_own_allowance() -> None:
    clock = Clock()
    limiter = MemberCooldown(2, 30.0, what="searches", clock=clock)
    assert limiter.take((1, 100)) == 0
    assert limiter.take((1, 100)) == 0
    assert limiter.take((1, 100)) == pytest.approx(30.0)
    assert limiter.take((2, 100)) == 0  # the same member in another server
    assert limiter.take((1, 101)) == 0  # another member
    clock.now += 10
    assert limiter.take((1, 100)) == pytest.approx(20.0)
    clock.now += 20.5
    assert limiter.take((1, 100)) == 0


def test_use_and_check_explain_when_to_come_back() -> None:
    clock = Clock()
    limiter = MemberCooldown(1, 600.0, what="suggestions", clock=clock)
    limiter.check((1, 100))  # checking uses nothing
    limiter.use((1, 100))
    with pytest.raises(SlowDown, match="1 suggestions every 10 minutes; please try again in 10 minutes"):
        limiter.check((1, 100))
    clock.now += 599
    with pytest.raises(SlowDown, match=r"try again in 1 second\.$"):
        limiter.use((1, 100))


def test_members_whose_window_has_passed_are_forgotten() -> None:
    clock = Clock()
    limiter = MemberCooldown(3, 30.0, what="searches", clock=clock)
    for member in range(1_000):
        limiter.take((1, member))
    assert len(limiter) == 1_000
    clock.now += 29
    limiter.take((1, 5_000))
    assert len(limiter) == 1_001  # everyone is still inside their window
    clock.now += 2
    limiter.take((1, 5_001))
    assert len(limiter) == 2  # the thousand are gone; the two recent members stay
    assert limiter.take((1, 5_000)) == 0
    assert limiter.take((1, 5_000)) == 0
    assert limiter.take((1, 5_000)) > 0  # a member inside their window kept their count
