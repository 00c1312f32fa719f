"""HostPace on a made-up clock: slow start, the pause, and the pace a host showed it accepts."""

from __future__ import annotations

import pytest

from generator.checks.links.pace import MARGIN, HostPace


def test_a_host_starts_with_one_request_and_earns_more() -> None:
    pace = HostPace(per_host=3, ramp=1.0)
    assert pace.ready(0.0)
    pace.sent(0.0)
    assert not pace.ready(0.0) and pace.wake() is None  # one in flight: wait for its answer
    pace.finished(0.4, 0.0, answered=True)
    pace.sent(0.4)
    pace.finished(1.0, 0.4, answered=True)  # a second without a 429: one more
    assert pace.limit == 2
    pace.sent(1.0)
    pace.sent(1.0)
    assert not pace.ready(1.0)
    for t in (1.5, 2.0):
        pace.finished(t, 1.0, answered=True)
        pace.sent(t)
    assert pace.limit == 3
    pace.finished(3.0, 2.0, answered=True)
    pace.finished(3.1, 2.0, answered=True)
    assert pace.limit == 3  # never more than per_host


def test_errors_do_not_earn_parallel_requests() -> None:
    pace = HostPace(per_host=4, ramp=1.0)
    pace.sent(0.0)
    pace.finished(5.0, 0.0, answered=False)  # a timeout
    assert pace.limit == 1 and pace.inflight == 0


def test_no_ramp_means_per_host_at_once() -> None:
    pace = HostPace(per_host=4, ramp=0)
    for _ in range(4):
        assert pace.ready(0.0)
        pace.sent(0.0)
    assert not pace.ready(0.0)


def test_a_429_pauses_then_paces_at_what_the_host_accepted() -> None:
    pace = HostPace(per_host=4, ramp=0)  # four in flight, as a host that earned them
    for i in range(10):
        pace.sent(i * 0.01)
        pace.finished(i * 0.01 + 0.005, i * 0.01, answered=True)
    pace.sent(0.10)
    pace.sent(0.10)
    pace.rate_limited(0.11, 0.10, wait=1.0)  # 10 let through, then "wait 1 s"
    assert pace.paced and pace.limit == 1
    assert pace.paused_until == pytest.approx(1.11)
    # the window the host showed: first request (0.0) to the end of its pause (1.11), 10 answers
    assert pace.interval == pytest.approx(1.11 / 10 * MARGIN)
    # the other request, on its way before the 429 arrived, is the same episode: no new measure
    pace.rate_limited(0.12, 0.10, wait=1.0)
    assert pace.interval == pytest.approx(1.11 / 10 * MARGIN)
    assert pace.paused_until == pytest.approx(1.12)
    assert pace.wake() == pytest.approx(1.12)
    assert not pace.ready(1.0)
    assert pace.ready(1.12)
    pace.sent(1.12)
    pace.finished(1.13, 1.12, answered=True)
    assert not pace.ready(1.13)  # spaced, although nothing is in flight
    assert pace.wake() == pytest.approx(1.12 + pace.interval)
    for _ in range(40):  # answers for seconds: still one at a time, as spaced
        t = pace.wake()
        assert t is not None and pace.ready(t)
        pace.sent(t)
        pace.finished(t + 0.01, t, answered=True)
    assert pace.limit == 1


def test_a_429_to_the_first_request_measures_nothing() -> None:
    pace = HostPace(per_host=4, ramp=1.0)
    pace.sent(0.0)
    pace.rate_limited(0.01, 0.0, wait=2.0)
    assert pace.paced and pace.interval == 0  # one at a time after the pause, unspaced
    assert pace.wake() == pytest.approx(2.01)
    pace.sent(2.01)
    for i in range(4):
        pace.finished(2.02 + i * 0.01, 2.01 + i * 0.01, answered=True)
        pace.sent(2.02 + i * 0.01)
    pace.rate_limited(2.06, 2.05, wait=1.0)  # 4 answers from 2.01 to the end of the pause
    assert pace.interval == pytest.approx((3.06 - 2.01) / 4 * MARGIN)
    interval = pace.interval
    pace.sent(3.06)
    pace.rate_limited(3.07, 3.06, wait=1.0)  # again at once: nothing to measure, so twice as slow
    assert pace.interval == pytest.approx(2 * interval)
