"""The `duzhan` command: set up the store, import ledgers, load the demo county, print metrics."""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
import tempfile
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from duzhan.i18n import LANGS, t


def _engine(args: argparse.Namespace):
    from duzhan.store.db import make_engine, upgrade

    engine = make_engine(args.db)
    upgrade(engine)
    return engine


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _as_of_and_check_townships(args: argparse.Namespace, engine) -> dt.date | None:
    """--as-of, or the default (today, or the data's last day if earlier); None after telling
    the user about an --as-of outside the dashboard's range or --township codes the store
    does not know."""
    from duzhan import clock
    from duzhan.store.lookup import last_event_date, township_directory
    from duzhan.views.filters import as_of_bounds

    first, last = as_of_bounds(clock.today())
    if args.as_of is not None and not first <= args.as_of <= last:
        print(t("cli.as_of_out_of_range", args.lang, asked=args.as_of.isoformat(),
                first=first.isoformat(), last=last.isoformat()), file=sys.stderr)
        return None
    if args.township:
        unknown = sorted(set(args.township) - set(township_directory(engine).names))
        if unknown:
            print(t("cli.unknown_township", args.lang, codes=", ".join(unknown)), file=sys.stderr)
            return None
    return args.as_of or clock.default_as_of(last_event_date(engine))


def _say_left_out(args: argparse.Namespace, left_out: dict[str, int]) -> None:
    """On stderr: the stored rows no figure counts (a date outside the accepted range)."""
    from duzhan.contract import DATE_MAX, DATE_MIN

    if left_out:
        sep = "、" if args.lang == "zh" else ", "
        print(t("cli.left_out", args.lang, min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat(),
                rows=sep.join(t("cli.left_out_item", args.lang, ledger=t(f"ledger.{k}", args.lang),
                                n=n) for k, n in left_out.items())), file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    """Create or upgrade the schema; with --demo, load the demo county into an empty store."""
    from duzhan.store.db import is_empty
    from duzhan.store.read import was_cleared

    engine = _engine(args)
    if args.demo and is_empty(engine):
        if was_cleared(engine):  # the demo county was removed for real ledgers
            print(t("cli.demo.not_reloaded", args.lang))
            return 0
        return cmd_demo(args, engine)
    return 0


def _refresh_figures(engine) -> None:
    """The figures of the dashboard's opening days, after the ledgers changed."""
    from duzhan.store import figures

    figures.refresh(engine)


def cmd_import(args: argparse.Namespace) -> int:
    from duzhan.ledgers.importer import SourceFile, format_report, import_files
    from duzhan.ledgers.problems import printable

    missing = [p for p in args.files if not Path(p).is_file()]
    if missing:
        print(t("cli.no_such_file", args.lang, path=printable(", ".join(missing))),
              file=sys.stderr)
        return 2
    report = Path(args.report) if args.report else None
    if report is not None and (report.suffix.lower() != ".xlsx" or report.is_dir()
                               or not report.parent.is_dir()):
        print(t("cli.report_bad_path", args.lang, path=printable(args.report)), file=sys.stderr)
        return 2
    files = [SourceFile.from_path(Path(p)) for p in args.files]
    # phases moved, townships added or renamed, many stored rows replaced: only with --yes
    engine = _engine(args)
    result = import_files(engine, files, user=args.user, lang=args.lang, confirmed=args.yes)
    if result.accepted:
        _refresh_figures(engine)
    out = sys.stdout if result.accepted else sys.stderr
    written = _write_problem_report(args, report, result) if report is not None else None
    print(format_report(result, args.lang, report_path=str(report) if written else None),
          file=out)
    if report is not None:
        if not written:
            return 2
        print(t("cli.report_written", args.lang, path=printable(str(report)),
                count=len(result.problems)), file=out)
    return 0 if result.accepted else 1


def _write_problem_report(args: argparse.Namespace, path: Path, result) -> bool:
    """Every problem of `result` as the data page's Excel problem list; False (said on
    stderr) when the file cannot be written."""
    from duzhan.exports.excel import frame_to_xlsx
    from duzhan.ledgers.importer import problems_frame
    from duzhan.ledgers.problems import printable

    data = frame_to_xlsx(problems_frame(result.problems, args.lang),
                         sheet_name=t("data.problems.sheet", args.lang))
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(t("cli.report_failed", args.lang, path=printable(str(path)),
                error=printable(exc.strerror or type(exc).__name__)), file=sys.stderr)
        return False
    return True


def cmd_template(args: argparse.Namespace) -> int:
    from duzhan.ledgers.template import write_template

    write_template(Path(args.out), lang=args.lang, examples=args.examples)
    print(args.out)
    return 0


def cmd_demo_remove(args: argparse.Namespace) -> int:
    """Empty every ledger of a store that holds the demo county (with --yes), so real ledgers
    start from nothing and the 演示数据 stamp goes; logged in the import and audit logs."""
    from duzhan.ledgers.clear import remove_all_ledgers
    from duzhan.store.read import data_status, ledger_counts

    engine = _engine(args)
    if not data_status(engine).is_demo:
        print(t("cli.demo.not_demo", args.lang), file=sys.stderr)
        return 2
    counts = ledger_counts(engine)
    if not args.yes:
        print(t("cli.demo.would_remove", args.lang, rows=sum(counts.values())), file=sys.stderr)
        return 1
    cleared = remove_all_ledgers(engine, user=args.user)
    print(t("cli.demo.removed", args.lang, rows=sum(cleared.removed.values()),
            id=cleared.import_id))
    return 0


def cmd_demo(args: argparse.Namespace, engine=None) -> int:
    """Write the demo county's ledgers as files and load them through the importer."""
    if getattr(args, "remove", False):
        return cmd_demo_remove(args)
    from duzhan.demo.generator import write_demo_ledgers
    from duzhan.ledgers.importer import SourceFile, format_report, import_files
    from duzhan.store.read import DEMO_USER

    engine = engine or _engine(args)
    if getattr(args, "counties", None) is not None:
        return cmd_demo_counties(args, engine)
    out = Path(args.out) if getattr(args, "out", None) else Path(tempfile.mkdtemp(prefix="duzhan-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    paths = write_demo_ledgers(out, today=getattr(args, "today", None))
    result = import_files(engine, [SourceFile.from_path(p) for p in paths], user=DEMO_USER, lang=args.lang)
    if result.accepted:
        _refresh_figures(engine)
    print(format_report(result, args.lang), file=sys.stdout if result.accepted else sys.stderr)
    return 0 if result.accepted else 1


def cmd_demo_counties(args: argparse.Namespace, engine) -> int:
    """N demo counties, each through the importer in its own transaction, and the province's
    township and county boundaries as GeoJSON (in --out, else data/province)."""
    from duzhan import clock, paths
    from duzhan.demo.counties import MAX_COUNTIES, import_counties, write_province_geojson
    from duzhan.store.read import DEMO_USER

    n = args.counties
    if not 1 <= n <= MAX_COUNTIES:
        print(t("province.demo.bad_count", args.lang, n=n, max=MAX_COUNTIES), file=sys.stderr)
        return 2
    done = []

    def said(county, result) -> None:
        done.append(sum(result.rows.values()))
        if result.accepted:
            print(t("province.demo.county", args.lang, i=len(done), n=n, name=county.name,
                    code=county.code, townships=len(county.polygons), rows=done[-1],
                    id=result.import_id), flush=True)

    outlines, results = import_counties(engine, n, args.today or clock.today(), DEMO_USER,
                                        args.lang, on_county=said)
    if not results[-1].accepted:
        from duzhan.ledgers.importer import format_report

        print(format_report(results[-1], args.lang), file=sys.stderr)
        return 1
    _refresh_figures(engine)
    geo_dir = Path(args.out) if args.out else paths.DATA_DIR / "province"
    towns, counties = write_province_geojson(outlines, geo_dir)
    print(t("province.demo.done", args.lang, n=n, rows=sum(done), townships=towns,
            counties=counties))
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from duzhan.metrics.rollup import directory, left_out
    from duzhan.metrics.table import format_table
    from duzhan.presentation.format import DASH
    from duzhan.store import figures

    engine = _engine(args)
    as_of = _as_of_and_check_townships(args, engine)
    if as_of is None:
        return 2
    if args.county is not None:
        with engine.connect() as conn:
            d = directory(conn)
        if args.county not in d.county_names:
            print(t("cli.unknown_county", args.lang, code=args.county,
                    known=", ".join(d.county_names) or DASH), file=sys.stderr)
            return 2
        outside = sorted(set(args.township or ()) - set(d.townships_of(args.county)))
        if outside:
            print(t("cli.township_not_in_county", args.lang, county=args.county,
                    codes=", ".join(outside)), file=sys.stderr)
            return 2
    # counted in SQL, where the rows are; a store holding rows the figures leave out (a
    # date no import would take) is counted from frames, as the pages count it
    skipped = left_out(engine, county=args.county)
    _say_left_out(args, skipped)
    if skipped:
        from duzhan.metrics.report import metrics_report
        from duzhan.store.read import DataScope, load_ledgers

        ledgers = load_ledgers(engine, DataScope(county=args.county))
        report = metrics_report(ledgers, as_of, args.township or None, county=args.county)
    else:
        report = figures.report(engine, as_of, args.township or None, county=args.county)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_table(report, args.lang))
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the briefing pack (汇报材料): .pdf (A4 landscape) or .pptx, by the extension."""
    import time

    from duzhan.exports.brief import brief_inputs, build_brief
    from duzhan.store.read import left_out_rows

    out = Path(args.out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "pptx"):
        print(t("exports.cli.bad_ext", args.lang, path=args.out), file=sys.stderr)
        return 2
    engine = _engine(args)
    as_of = _as_of_and_check_townships(args, engine)
    if as_of is None:
        return 2
    _say_left_out(args, left_out_rows(engine))
    started = time.perf_counter()
    inputs = brief_inputs(engine, as_of, args.township or None, args.lang)
    data, _, _ = build_brief(inputs, kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(t("exports.cli.written", args.lang, path=str(out), pages=inputs.page_count,
            seconds=time.perf_counter() - started))
    return 0


# --- users and the audit log (duzhan.auth) -----------------------------------------------

def _actor() -> str:
    """Who ran the command, as the audit log names it (an OS account, not a dashboard user)."""
    return f"cli:{getpass.getuser()}"


def _read_password(args: argparse.Namespace) -> str | None:
    """The new password from stdin (--password-stdin) or typed twice at a hidden prompt;
    None after telling the user why not. Never echoed, printed or logged."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print(t("cli.user.no_password", args.lang), file=sys.stderr)
            return None
        return password
    password = getpass.getpass(t("cli.user.password_prompt", args.lang, name=args.name))
    if getpass.getpass(t("cli.user.password_again", args.lang)) != password:
        print(t("cli.user.passwords_differ", args.lang), file=sys.stderr)
        return None
    return password


def _user_change(args: argparse.Namespace, change) -> int:
    """Run one user change; a refused one prints its reason and changes nothing."""
    from duzhan.auth import UserError

    try:
        change()
    except UserError as err:
        print(err.message(args.lang), file=sys.stderr)
        return 2
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from duzhan import auth

    engine = _engine(args)
    townships = args.township or ()
    if _user_change(args, lambda: auth.check_new_user(engine, args.name, args.role, townships,
                                                      args.email)):
        return 2  # refused before asking for a password
    password = _read_password(args)
    if password is None:
        return 2
    first = not auth.sign_in_enabled(engine)
    rc = _user_change(args, lambda: auth.add_user(
        engine, args.name, args.role, password, _now(), townships=townships,
        email=args.email, by=_actor()))
    if rc == 0:
        print(t("cli.user.added", args.lang, name=args.name.strip(),
                role=t(f"auth.role.{args.role}", args.lang)))
        if first:
            print(t("cli.user.sign_in_on", args.lang))
    return rc


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from duzhan import auth

    engine = _engine(args)
    if auth.get_user(engine, args.name) is None:  # before asking for a password
        print(t("auth.user.no_such_user", args.lang, name=args.name), file=sys.stderr)
        return 2
    password = _read_password(args)
    if password is None:
        return 2
    rc = _user_change(args, lambda: auth.set_password(engine, args.name, password, _now(),
                                                      by=_actor()))
    if rc == 0:
        print(t("cli.user.password_changed", args.lang, name=args.name))
    return rc


def cmd_user_disable(args: argparse.Namespace) -> int:
    from duzhan import auth

    engine = _engine(args)
    disable = args.user_command == "disable"
    rc = _user_change(args, lambda: auth.set_disabled(engine, args.name, disable, _now(),
                                                      by=_actor()))
    if rc == 0:
        print(t("cli.user.disabled" if disable else "cli.user.enabled", args.lang, name=args.name))
    return rc


def cmd_user_list(args: argparse.Namespace) -> int:
    from duzhan import auth

    users = auth.list_users(_engine(args))
    if not users:
        print(t("cli.user.none", args.lang))
        return 0
    print(t("cli.user.columns", args.lang))
    for u in users:
        state = t("cli.user.state_disabled" if u.disabled else "cli.user.state_active", args.lang)
        print("\t".join([u.name, t(f"auth.role.{u.role}", args.lang),
                         ",".join(u.townships) or "-", u.email or "-", state]))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from duzhan import auth
    from duzhan.clock import BEIJING, beijing_time
    from duzhan.presentation import format as fmt

    since = (dt.datetime.combine(args.since, dt.time(), BEIJING) if args.since else None)
    entries = auth.read_audit(_engine(args), since=since, user_name=args.user, kind=args.kind,
                              limit=None)
    if not entries:
        print(t("cli.audit.none", args.lang))
        return 0
    print(t("cli.audit.columns", args.lang))
    for e in reversed(entries):  # oldest first, as a log reads
        print("\t".join([fmt.moment(beijing_time(e.at), args.lang, seconds=True), e.kind,
                         e.user_name or "-",
                         json.dumps(e.detail, ensure_ascii=False, sort_keys=True)]))
    return 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Choices(Sequence):
    """Choices read on first use (with a metavar, so that adding the argument does not
    list them): building the parser then imports nothing heavy (the auth package loads
    SQLAlchemy and the models); only `duzhan user`/`audit` and their help do."""

    def __init__(self, name: str) -> None:
        self.name = name

    @cached_property
    def _values(self) -> tuple[str, ...]:
        import duzhan.auth

        return getattr(duzhan.auth, self.name)

    def __getitem__(self, i):
        return self._values[i]

    def __len__(self) -> int:
        return len(self._values)


def _add_auth_commands(sub, common: argparse.ArgumentParser) -> None:
    KINDS, ROLES = _Choices("KINDS"), _Choices("ROLES")  # noqa: N806

    p = sub.add_parser("user", help="add, change, disable and list users")
    users = p.add_subparsers(dest="user_command", required=True)
    password = argparse.ArgumentParser(add_help=False)
    password.add_argument("--password-stdin", action="store_true", dest="password_stdin",
                          help="read the password from the first line of standard input")

    q = users.add_parser("add", parents=[common, password], help="add a user (turns sign-in on)")
    q.add_argument("name")
    q.add_argument("--role", required=True, choices=ROLES, metavar="ROLE",
                   help="%(choices)s")
    q.add_argument("--township", nargs="+", action="extend", metavar="CODE",
                   help="the township(s) a township user sees")
    q.add_argument("--email", help="e-mail for sign-in through the identity provider")
    q.set_defaults(func=cmd_user_add)

    q = users.add_parser("passwd", parents=[common, password], help="set a user's password")
    q.add_argument("name")
    q.set_defaults(func=cmd_user_passwd)

    for verb, text in (("disable", "refuse a user's sign-in"), ("enable", "allow it again")):
        q = users.add_parser(verb, parents=[common], help=text)
        q.add_argument("name")
        q.set_defaults(func=cmd_user_disable)

    q = users.add_parser("list", parents=[common], help="list users (never their passwords)")
    q.set_defaults(func=cmd_user_list)

    p = sub.add_parser("audit", parents=[common], help="print the audit log")
    p.add_argument("--since", type=_date, help="from this day on (Beijing time)")
    p.add_argument("--user", help="only what this user did")
    p.add_argument("--kind", choices=KINDS, metavar="KIND", help="%(choices)s")
    p.set_defaults(func=cmd_audit)


TODAY_HELP = "the demo county's present, YYYY-MM-DD (default: $DUZHAN_TODAY, else today)"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database URL (default: $DUZHAN_DATABASE_URL or data/duzhan.db)")
    common.add_argument("--lang", choices=LANGS, default="zh", help="language of messages")

    parser = argparse.ArgumentParser(prog="duzhan", description="督战看板 duzhan")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="create or upgrade the database")
    p.add_argument("--demo", action="store_true", help="load the demo county if the store is empty")
    p.add_argument("--today", type=_date, default=None, help=TODAY_HELP)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", parents=[common], help="import ledgers (.xlsx, .csv, .zip)")
    p.add_argument("files", nargs="+")
    p.add_argument("--user", default=getpass.getuser(), help="recorded in the import log")
    p.add_argument("--yes", action="store_true",
                   help="confirm far-reaching changes (phases moved, townships added or "
                        "renamed, many stored rows replaced, template examples)")
    p.add_argument("--report", metavar="FILE.xlsx",
                   help="write every problem to this Excel file (the terminal lists 200)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", parents=[common], help="write a blank ledger workbook")
    p.add_argument("--out", default="台账模板.xlsx")
    p.add_argument("--examples", action="store_true", help="add example rows")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("demo", parents=[common],
                       help="generate and import the demo county, or --remove it")
    p.add_argument("--out", help="keep the generated ledger files in this folder")
    p.add_argument("--today", type=_date, default=None, help=TODAY_HELP)
    p.add_argument("--counties", type=int, metavar="N",
                   help="a demo province: N counties, each imported on its own; their "
                        "boundaries go to --out (default data/province)")
    p.add_argument("--remove", action="store_true",
                   help="empty every ledger of a store holding the demo county")
    p.add_argument("--yes", action="store_true", help="confirm --remove")
    p.add_argument("--user", default=getpass.getuser(), help="recorded in the import log")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("metrics", parents=[common], help="print the contract's metrics")
    p.add_argument("--as-of", type=_date, default=None, dest="as_of")
    p.add_argument("--township", nargs="+", action="extend", metavar="CODE")
    p.add_argument("--county", default=None, metavar="CODE",
                   help="one county of a store that holds several (its townships and "
                        "county-wide tasks)")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("brief", parents=[common],
                       help="write the briefing pack (汇报材料): .pdf or .pptx")
    p.add_argument("--as-of", type=_date, default=None, dest="as_of")
    p.add_argument("--township", nargs="+", action="extend", metavar="CODE")
    p.add_argument("--out", required=True, help="output file, .pdf (A4 landscape) or .pptx")
    p.set_defaults(func=cmd_brief)
    _add_auth_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    from duzhan.clock import BadToday

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BadToday as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
