"""`duzhan user …` and `duzhan audit` end to end on SQLite and PostgreSQL. No password
or hash ever appears in what they print or log."""
import io
import logging

import pytest
from sqlalchemy import insert, select

from duzhan.cli import main
from duzhan.store.auth_models import UserRecord
from duzhan.store.db import make_engine, upgrade
from duzhan.store.models import Township

from .conftest import TOWNSHIPS

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SECRET = "Tr0ub4dor&3-county"


@pytest.fixture(params=BACKENDS)
def db(request, engine_url):
    url = engine_url(request.param)
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"township_code": c, "township_name": n}
                                        for c, n in TOWNSHIPS.items()])
    engine.dispose()
    return url


@pytest.fixture
def run(capsys, caplog, monkeypatch):
    """Run the command with `stdin` as standard input; (exit code, stdout + stderr + log)."""
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    def run(*argv, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out = capsys.readouterr()
        seen.append(out.out + out.err + caplog.text)
        return code, out.out, out.err

    run.everything = seen
    return run


def _hashes(url):
    engine = make_engine(url)
    with engine.connect() as conn:
        hashes = conn.execute(select(UserRecord.password_hash)).scalars().all()
    engine.dispose()
    return hashes


def test_add_list_passwd_disable_enable_and_audit(run, db):
    code, out, _ = run("user", "list", "--db", db, "--lang", "en")
    assert (code, out) == (0, "no users: sign-in is off\n")

    code, out, err = run("user", "add", "wang", "--role", "township", "--township", "101",
                         "103", "--email", "Wang@X.cn", "--password-stdin", "--db", db,
                         "--lang", "en", stdin=SECRET + "\n")
    assert code == 0, err
    assert out.splitlines() == [
        "added user wang (Township)",
        "this is the first user: sign-in is now on, the dashboard asks everyone to sign in"]

    code, out, err = run("user", "add", "li", "--role", "leader", "--password-stdin",
                         "--db", db, stdin=SECRET + "\n")
    assert (code, out) == (0, "已添加用户 li（领导）\n"), err  # not the first: no notice

    code, out, _ = run("user", "list", "--db", db, "--lang", "en")
    assert out.splitlines() == [
        "name\trole\ttownships\te-mail\tstate",
        "li\tLeader\t-\t-\tactive",
        "wang\tTownship\t101,103\twang@x.cn\tactive"]

    code, out, _ = run("user", "passwd", "wang", "--password-stdin", "--db", db, "--lang", "en",
                       stdin="another " + SECRET + "\n")
    assert (code, out) == (0, "changed the password of wang\n")
    code, out, _ = run("user", "disable", "li", "--db", db, "--lang", "en")
    assert (code, out) == (0, "disabled user li\n")
    code, out, _ = run("user", "list", "--db", db)
    assert "li\t领导\t-\t-\t停用" in out.splitlines()
    code, out, _ = run("user", "enable", "li", "--db", db, "--lang", "en")
    assert (code, out) == (0, "enabled user li\n")

    code, out, _ = run("audit", "--db", db, "--kind", "user", "--lang", "en")
    lines = out.splitlines()
    assert lines[0] == "time (Beijing)\tkind\tuser\tdetail"
    actions = [(line.split("\t")[1], line.split("\t")[2].startswith("cli:"),
                line.split("\t")[3].split('"action": ')[1].split(",")[0]) for line in lines[1:]]
    assert actions == [("user", True, '"add"'), ("user", True, '"add"'),
                       ("user", True, '"passwd"'), ("user", True, '"disable"'),
                       ("user", True, '"enable"')]

    hashes = _hashes(db)
    assert len(hashes) == 2 and all(h.startswith("$argon2id$") for h in hashes)
    for text in run.everything:
        assert SECRET not in text and "$argon2" not in text
        assert not any(h in text for h in hashes)


def test_refusals_change_nothing_and_say_why(run, db):
    code, _, err = run("user", "add", "zhao", "--role", "township", "--township", "101", "999",
                       "--password-stdin", "--db", db, "--lang", "en", stdin=SECRET + "\n")
    assert (code, err) == (2, "unknown township code(s): 999\n")
    code, _, err = run("user", "add", "zhao", "--role", "township", "--password-stdin",
                       "--db", db, "--lang", "en", stdin=SECRET + "\n")
    assert code == 2 and "at least one township" in err
    code, _, err = run("user", "add", "zhao", "--role", "analyst", "--password-stdin",
                       "--db", db, "--lang", "en", stdin="short\n")
    assert (code, err) == (2, "a password needs at least 8 characters\n")
    code, _, err = run("user", "add", "zhao", "--role", "analyst", "--password-stdin",
                       "--db", db, "--lang", "en", stdin="")
    assert (code, err) == (2, "no password on standard input; nothing changed\n")
    code, _, err = run("user", "passwd", "nobody", "--password-stdin", "--db", db, "--lang",
                       "en", stdin=SECRET + "\n")
    assert (code, err) == (2, "no user nobody\n")
    code, _, err = run("user", "disable", "nobody", "--db", db, "--lang", "en")
    assert (code, err) == (2, "no user nobody\n")
    with pytest.raises(SystemExit):  # argparse: an unknown role never reaches the store
        run("user", "add", "zhao", "--role", "boss", "--db", db)
    code, out, _ = run("user", "list", "--db", db, "--lang", "en")
    assert out == "no users: sign-in is off\n"
    code, out, _ = run("audit", "--db", db, "--lang", "en")
    assert out == "no audit entries match\n"


def test_a_bad_request_is_refused_before_the_password_prompt(run, db, monkeypatch):
    def no_prompt(prompt):
        raise AssertionError("asked for a password")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    code, _, err = run("user", "add", "zhao", "--role", "township", "--township", "999",
                       "--db", db, "--lang", "en")
    assert (code, err) == (2, "unknown township code(s): 999\n")
    code, _, err = run("user", "add", "zhao", "--role", "leader", "--email", "nope", "--db", db,
                       "--lang", "en")
    assert (code, err) == (2, "not an e-mail address: nope\n")
    code, _, err = run("user", "passwd", "ghost", "--db", db, "--lang", "en")
    assert (code, err) == (2, "no user ghost\n")


def test_password_prompt_asks_twice_and_refuses_a_mismatch(run, db, monkeypatch):
    answers = iter([SECRET, SECRET + "x"])
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(answers))
    code, _, err = run("user", "add", "li", "--role", "leader", "--db", db, "--lang", "en")
    assert (code, err) == (2, "the two passwords differ; nothing changed\n")
    assert prompts == ["password for li: ", "again: "]
    assert _hashes(db) == []
    answers = iter([SECRET, SECRET])
    code, out, _ = run("user", "add", "li", "--role", "leader", "--db", db, "--lang", "en")
    assert code == 0 and out.startswith("added user li")
    assert all(SECRET not in text for text in run.everything)


def test_audit_filters_by_day_user_and_kind(run, db):
    import datetime as dt

    from duzhan.auth import authenticate

    run("user", "add", "li", "--role", "leader", "--password-stdin", "--db", db,
        stdin=SECRET + "\n")
    engine = make_engine(db)
    day1 = dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC)  # 03-01 23:30 Beijing
    day2 = dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC)  # 03-02 00:30 Beijing
    authenticate(engine, "li", "wrong password", day1)
    authenticate(engine, "li", SECRET, day2)
    engine.dispose()
    code, out, _ = run("audit", "--db", db, "--user", "li", "--lang", "en")
    assert [line.split("\t")[:3] for line in out.splitlines()[1:]] == [
        ["2026-03-01 23:30:00", "sign_in_failed", "li"],
        ["2026-03-02 00:30:00", "sign_in", "li"]]
    code, out, _ = run("audit", "--db", db, "--user", "li", "--since", "2026-03-02")
    assert [line.split("\t")[1] for line in out.splitlines()[1:]] == ["sign_in"]
    code, out, _ = run("audit", "--db", db, "--kind", "sign_in_failed", "--lang", "en")
    assert len(out.splitlines()) == 2 and '"reason": "bad_credentials"' in out
    assert SECRET not in out and "wrong password" not in out
