"""Sign-in for AppTests: a private copy of the demo county with one user of each role, a
cheap argon2 (the hashing cost is a deployment knob; tests/auth checks the defaults), a
clock the tests move, and signing in through the page as a reader would."""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from duzhan.auth import add_user, passwords, read_audit
from duzhan.store.db import make_engine
from duzhan.store.lookup import township_directory
from duzhan.views import signin
from tests.pages.conftest import APP, app_test

PASSWORD = "county pass 1"
# after any real time the importer stamps (it has its own clock), so the log's order is known
T0 = dt.datetime(2031, 3, 3, 1, 0, tzinfo=dt.UTC)


@dataclass
class County:
    url: str
    engine: object
    names: dict[str, str]  # code → name, every township
    mine: str  # the township user's township
    other: str  # another township, in another supervision area where there is one
    areas: dict[str, str | None]

    def audit(self, **kw):
        return read_audit(self.engine, **kw)


@pytest.fixture
def clock(monkeypatch):
    """The sign-in clock, moved by the test: clock["now"] += dt.timedelta(minutes=31)."""
    now = {"now": T0}
    monkeypatch.setattr(signin, "now", lambda: now["now"])
    return now


def cheap_hashing(mp: pytest.MonkeyPatch) -> None:
    """A cheap argon2 for the hashes made from here on (undone with `mp`)."""
    mp.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()


@pytest.fixture
def fast_hashing(monkeypatch):
    cheap_hashing(monkeypatch)
    yield
    passwords._dummy_hash.cache_clear()


def copy_store(store_url: str, tmp_path) -> str:
    """A private copy of a sqlite store (sqlite's backup: the WAL's pages included)."""
    src, dst = store_url.removeprefix("sqlite:///"), tmp_path / "county.db"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return f"sqlite:///{dst}"


def county_with_users(pristine_url: str, folder: Path) -> County:
    """A private copy of the demo county with users leader, analyst, town (one township)
    and admin (argon2 made cheap first: fast_hashing)."""
    url = copy_store(pristine_url, folder)
    engine = make_engine(url)
    d = township_directory(engine)
    codes = list(d.names)
    mine = codes[0]
    other = next((c for c in reversed(codes) if d.areas[c] != d.areas[mine]), codes[-1])
    for name, role in (("leader", "leader"), ("analyst", "analyst"), ("admin", "admin")):
        add_user(engine, name, role, PASSWORD, T0)
    add_user(engine, "town", "township", PASSWORD, T0, townships=[mine])
    return County(url, engine, dict(d.names), mine, other, dict(d.areas))


@pytest.fixture
def county(pristine_demo_db_url, tmp_path, fast_hashing, clock) -> County:
    """The demo county with users leader, analyst, town (one township) and admin."""
    county = county_with_users(pristine_demo_db_url, tmp_path)
    yield county
    county.engine.dispose()


@pytest.fixture
def county_app(county, monkeypatch):
    with app_test(county.url, monkeypatch) as at:
        yield at


def submit_sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    """Type into the sign-in form and press its button (the page must be showing)."""
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def on_sign_in_page(at: AppTest) -> bool:
    return "_page_ctx" not in at.session_state and len(at.text_input) >= 2 and \
        at.text_input[1].proto.type == at.text_input[1].proto.PASSWORD


def sign_in(at: AppTest, name: str, **query: str) -> AppTest:
    """Open the app with URL parameters `query` (a crafted link), sign in as `name`."""
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    assert on_sign_in_page(at)
    submit_sign_in(at, name)
    assert "_page_ctx" in at.session_state, [e.value for e in at.error]
    return at


def page_scripts(at: AppTest) -> set[str]:
    """The page scripts the navigation registered on the last run (relative to the
    checkout): all this session's URLs can reach (the sign-in page is a function, no script)."""
    root = Path(APP).parent
    return {Path(str(info["script_path"])).resolve().relative_to(root).as_posix()
            for info in at._registered_pages.values() if info.get("script_path")}


def page_text(at: AppTest) -> str:
    """Every text the page sends the browser: elements, charts' JSON, the map's script, and
    the tables' cells."""
    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            out.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for df in at.dataframe:
        out.append(df.value.to_string())
    return "\n".join(out)
