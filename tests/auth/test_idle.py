"""Idle timeout: a pure function of the last activity and now. A session lives while less
than the timeout has passed: 29:59 after the last click it lives, at 30:00 it has ended."""
import datetime as dt

import pytest

from duzhan.auth import DEFAULT_IDLE_MINUTES, IDLE_ENV, idle_expired, idle_timeout

from .conftest import T0


def test_default_is_thirty_minutes_with_the_edge_at_exactly_thirty(monkeypatch):
    monkeypatch.delenv(IDLE_ENV, raising=False)
    assert DEFAULT_IDLE_MINUTES == 30 and idle_timeout() == dt.timedelta(minutes=30)
    assert not idle_expired(T0, T0)
    assert not idle_expired(T0, T0 + dt.timedelta(minutes=29, seconds=59))
    assert idle_expired(T0, T0 + dt.timedelta(minutes=30))
    assert idle_expired(T0, T0 + dt.timedelta(hours=5))


def test_the_environment_sets_the_timeout(monkeypatch):
    monkeypatch.setenv(IDLE_ENV, " 5 ")
    assert idle_timeout() == dt.timedelta(minutes=5)
    assert not idle_expired(T0, T0 + dt.timedelta(minutes=4, seconds=59))
    assert idle_expired(T0, T0 + dt.timedelta(minutes=5))
    assert idle_timeout({IDLE_ENV: "90"}) == dt.timedelta(minutes=90)
    assert idle_timeout({IDLE_ENV: ""}) == dt.timedelta(minutes=30)


@pytest.mark.parametrize("bad", ["0", "-5", "half an hour", "1.5"])
def test_a_bad_setting_is_a_clear_error_not_a_silent_default(bad):
    with pytest.raises(ValueError, match=IDLE_ENV):
        idle_timeout({IDLE_ENV: bad})


def test_an_explicit_timeout_and_zones_compare_as_instants():
    beijing = dt.timezone(dt.timedelta(hours=8))
    last = T0.astimezone(beijing)
    assert not idle_expired(last, T0 + dt.timedelta(minutes=9), dt.timedelta(minutes=10))
    assert idle_expired(last, T0 + dt.timedelta(minutes=10), dt.timedelta(minutes=10))
    with pytest.raises(ValueError):
        idle_expired(dt.datetime(2026, 3, 2, 9), T0)
