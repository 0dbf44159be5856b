"""Sign-in through the page: with no user the dashboard is the local demo and says sign-in is
off; the first user turns it on. A wrong password and an unknown name read the same; the
fifth failure locks the name for 15 minutes; 30 idle minutes (the injected clock) sign the
reader out; sign-out forgets the session. Each is in the audit log."""
from __future__ import annotations

import datetime as dt
import io
import sys

import pytest

from duzhan.auth import IDLE_ENV, set_disabled
from duzhan.cli import main as duzhan
from duzhan.i18n import t
from duzhan.views import registry
from tests.pages.conftest import app_test, open_page, page_ctx
from tests.pages.signin_helpers import (  # noqa: F401 - fixtures
    PASSWORD,
    T0,
    clock,
    copy_store,
    county,
    county_app,
    fast_hashing,
    on_sign_in_page,
    page_scripts,
    sign_in,
    submit_sign_in,
)

OFF = t("auth.sign_in_off", "zh")


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("page", [p.slug for p in registry.PAGES])
def test_with_no_user_every_page_opens_and_says_sign_in_is_off(app, page):
    at = open_page(app, page)
    assert not on_sign_in_page(at)
    assert sum(OFF in c for c in captions(at)) == 1
    ctx = page_ctx(at)
    assert ctx.user is None and not ctx.sign_in and ctx.access.allowed is None


def test_the_first_user_added_turns_sign_in_on(pristine_demo_db_url, tmp_path, monkeypatch,
                                               fast_hashing, clock):
    url = copy_store(pristine_demo_db_url, tmp_path)
    with app_test(url, monkeypatch) as at:
        at.run()
        assert not on_sign_in_page(at) and page_ctx(at).access.allowed is None
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        assert duzhan(["user", "add", "chief", "--role", "leader", "--password-stdin",
                       "--db", url]) == 0
        at.run()  # the same open session: its next run asks who it is
        assert on_sign_in_page(at)
        assert not any(OFF in c for c in captions(at))
        assert page_scripts(at) == set()  # no page of the dashboard has a URL
        submit_sign_in(at, "chief")
        assert page_ctx(at).user.name == "chief" and page_ctx(at).sign_in
        assert not any(OFF in c for c in captions(at))


def test_wrong_password_and_unknown_name_read_the_same(county, county_app):
    at = county_app
    at.run()
    assert on_sign_in_page(at)
    submit_sign_in(at, "town", "not the password")
    wrong = [e.value for e in at.error]
    submit_sign_in(at, "nobody-here", "not the password")
    unknown = [e.value for e in at.error]
    assert wrong == unknown == [t("auth.signin.bad_credentials", "zh")]
    assert on_sign_in_page(at)
    failed = county.audit(kind="sign_in_failed")
    assert [(e.user_name, e.detail["reason"]) for e in failed] == [
        ("nobody-here", "bad_credentials"), ("town", "bad_credentials")]
    submit_sign_in(at, "town")
    assert page_ctx(at).user.name == "town"
    assert [e.user_name for e in county.audit(kind="sign_in")] == ["town"]


def test_five_failures_lock_the_name_for_fifteen_minutes(county, county_app, clock):
    at = county_app
    at.run()
    for _ in range(4):
        submit_sign_in(at, "analyst", "guess")
        assert [e.value for e in at.error] == [t("auth.signin.bad_credentials", "zh")]
    submit_sign_in(at, "analyst", "guess")  # the fifth
    locked = t("auth.signin.locked", "zh", failures=5, minutes=15)
    assert [e.value for e in at.error] == [locked]
    assert [e.user_name for e in county.audit(kind="lockout")] == ["analyst"]
    clock["now"] += dt.timedelta(minutes=14, seconds=59)
    submit_sign_in(at, "analyst")  # the right password, still locked
    assert [e.value for e in at.error] == [t("auth.signin.locked", "zh", failures=5, minutes=1)]
    assert on_sign_in_page(at)
    clock["now"] += dt.timedelta(seconds=1)  # 15 minutes after the fifth failure
    submit_sign_in(at, "analyst")
    assert page_ctx(at).user.name == "analyst"


@pytest.mark.parametrize("minutes", [None, 5])
def test_idle_timeout_signs_out(county, county_app, clock, monkeypatch, minutes):
    if minutes is None:
        monkeypatch.delenv(IDLE_ENV, raising=False)
        minutes = 30
    else:
        monkeypatch.setenv(IDLE_ENV, str(minutes))
    at = sign_in(county_app, "leader")
    clock["now"] += dt.timedelta(minutes=minutes, seconds=-1)
    at.run()  # a click just before the timeout: still in, and the idle time starts again
    assert page_ctx(at).user.name == "leader"
    clock["now"] += dt.timedelta(minutes=minutes, seconds=-1)
    at.run()
    assert page_ctx(at).user.name == "leader"
    clock["now"] += dt.timedelta(minutes=minutes)  # exactly the timeout since the last run
    at.run()
    assert not at.exception and on_sign_in_page(at)
    assert [i.value for i in at.info] == [t("auth.signin.timed_out", "zh", minutes=minutes)]
    out = county.audit(kind="sign_out")
    assert [(e.user_name, e.detail["reason"]) for e in out] == [("leader", "idle")]


def test_sign_out_forgets_the_session(county, county_app):
    at = sign_in(county_app, "town", t=county.mine)
    assert page_ctx(at).filters.townships == (county.mine,)
    at.button(key="auth_sign_out").click().run()
    assert not at.exception and on_sign_in_page(at)
    assert [i.value for i in at.info] == [t("auth.signin.signed_out", "zh")]
    assert "f_towns" not in at.session_state  # nothing of the last reader is kept
    out = county.audit(kind="sign_out")
    assert [(e.user_name, e.detail["reason"]) for e in out] == [("town", "user")]


def test_a_disabled_user_is_out_at_the_next_click(county, county_app, clock):
    at = sign_in(county_app, "town")
    set_disabled(county.engine, "town", True, clock["now"])
    at.run()
    assert on_sign_in_page(at)
    submit_sign_in(at, "town")
    assert [e.value for e in at.error] == [t("auth.signin.disabled", "zh")]


def test_sign_in_page_in_english(county, county_app):
    at = county_app
    at.query_params["lang"] = "en"
    at.run()
    assert at.text_input[0].label == t("auth.signin.name", "en")
    assert at.button[0].label == t("auth.signin.button", "en")
    # the form's "Press Enter to submit form" (Streamlit's own English): the catalogue's
    (words,) = [m.value for m in at.markdown if "InputInstructions" in m.value]
    assert f'content: "{t("shell.press_enter", "en")}"' in words
    submit_sign_in(at, "leader")
    assert page_ctx(at).lang == "en"
    assert t("auth.signed_in_as", "en", name="leader", role=t("auth.role.leader", "en")) \
        in captions(at)
