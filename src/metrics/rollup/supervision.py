"""Supervision · 督导 in SQL: per township its listed objects and how many of them a
supervision of the scope visited in M(D) and M(D)−1, its visits and yellow cards, and per
unit its last two supervisions (a window over (visit_date, supervision_id)) for the latest
ratings and the summons due. Whether the ledger is in use is the whole store's."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, or_, select, union_all

from duzhan.metrics.numbers import RATINGS, ratio

from .sql import as_date, days, kept, table, where_kept, where_towns

NAME = "supervision"
_COUNTS = ("listed", "visited", "visited_last", "visits", "yellow",
           *(f"r_{r}" for r in RATINGS))


def _month(D: dt.date, back: int) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month ``back`` months before M(D)."""
    y, m = divmod(D.year * 12 + D.month - 1 - back, 12)
    first = dt.date(y, m + 1, 1)
    y2, m2 = divmod(y * 12 + m + 1, 12)
    return first, dt.date(y2, m2 + 1, 1) - dt.timedelta(days=1)


def context(conn: Connection, D: dt.date) -> dict:
    """M(D) and M(D)−1, and whether unvisited_last_month is null: no phases, M(D)−1 outside
    the campaign, or no supervision in the whole store with visit_date ≤ D."""
    p, s = table("phases").c, table("supervisions").c
    start, end = conn.execute(select(func.min(p.start_date), func.max(p.end_date))
                              .where(kept("phases"))).one()
    m0, m1 = _month(D, 0), _month(D, 1)
    if start is None or m1[1] < as_date(start) or m1[0] > as_date(end):
        null = True
    else:
        in_use = conn.execute(select(exists().where(s.visit_date <= D, kept("supervisions"))))
        null = not in_use.scalar()
    return {"m0": m0, "m1": m1, "last_month_null": null}


def _bytewise(conn: Connection, col):
    """``col`` compared by code point, as Python (and so the frames) order text: SQLite's
    default, PostgreSQL's "C" collation."""
    return col.collate("C") if conn.dialect.name == "postgresql" else col


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    s, v, st = table("supervisions").c, table("villages").c, table("sites").c
    on_object = and_(s.target_code.is_not(None), s.target_code != "")
    visits = where_towns(where_kept(select(s.township_code).where(s.visit_date <= D),
                                    "supervisions"), s.township_code, towns)
    out: dict[str, dict] = {}

    def part(code: str) -> dict:
        return out.setdefault(code, empty(ctx))

    # listed objects, and those a supervision of the scope visited in M(D) / M(D)−1 (the
    # frames' engine matches an object by its code, whoever's supervision it was)
    objects = union_all(
        where_towns(select(v.village_code.label("code"), v.township_code.label("town"))
                    .where(v.listed.is_(True)), v.township_code, towns),
        where_towns(select(st.site_code.label("code"), st.township_code.label("town")),
                    st.township_code, towns)).subquery()

    def seen(first: dt.date, last: dt.date):
        return objects.c.code.in_(
            select(s.target_code).where(on_object, s.visit_date.between(first, last),
                                        *_visit_conds(towns)))

    (m0, _), m1 = ctx["m0"], ctx["m1"]
    q = (select(objects.c.town, func.count(), func.count().filter(seen(m0, D)),
                func.count().filter(seen(*m1))).group_by(objects.c.town))
    for code, n, visited, visited_last in conn.execute(q):
        part(code).update(listed=n, visited=visited, visited_last=visited_last)

    q = (visits.add_columns(func.count().filter(s.visit_date >= m0),
                            func.count().filter(s.yellow_card.is_(True),
                                                s.visit_date >= days(D, -27)))
         .group_by(s.township_code))
    for code, n, yellow in conn.execute(q):
        part(code).update(visits=n, yellow=yellow)

    # each unit's supervisions, latest first: the unit is the target, or the township itself
    is_town = or_(s.target_code.is_(None), s.target_code == "")
    unit = case((is_town, s.township_code), else_=s.target_code)
    ranked = visits.add_columns(
        unit.label("unit"), is_town.label("is_town"), s.visit_date, s.rating,
        s.yellow_card.is_(True).label("yellow"),
        func.row_number().over(partition_by=(s.township_code, unit, is_town),
                               order_by=(s.visit_date.desc(),
                                         _bytewise(conn, s.supervision_id).desc()))
        .label("rn")).subquery()
    r = ranked.c
    q = (select(r.township_code, r.rating, func.count()).where(r.rn == 1)
         .group_by(r.township_code, r.rating))
    for code, rating, n in conn.execute(q):
        if rating not in RATINGS:
            raise ValueError(f"supervisions: unknown rating(s) {[str(rating)]}"
                             if rating is not None
                             else "supervisions: a supervision without a rating")
        part(code)[f"r_{rating}"] = n
    # due a summons: the unit's last two supervisions both carry a yellow card
    q = (select(r.township_code, r.unit, func.min(r.visit_date), func.max(r.visit_date))
         .where(r.rn <= 2).group_by(r.township_code, r.unit, r.is_town)
         .having(func.count().filter(r.yellow) == 2))
    for code, u, prev, last in conn.execute(q):
        part(code)["summons"].append({"unit": u, "township_code": code,
                                      "dates": [as_date(prev), as_date(last)]})
    return out


def _visit_conds(towns: list[str] | None) -> list:
    """The supervisions of the scope (kept, of its townships) a visit is looked for in."""
    s = table("supervisions").c
    conds = [kept("supervisions")]
    if towns is not None:
        conds.append(s.township_code.in_(towns))
    return conds


def empty(ctx: Any) -> dict:
    return {**dict.fromkeys(_COUNTS, 0), "summons": []}


def add(a: dict, b: dict) -> dict:
    return {**{k: a[k] + b[k] for k in _COUNTS}, "summons": a["summons"] + b["summons"]}


def finish(p: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    summons = sorted(p["summons"], key=lambda x: (x["unit"], x["township_code"]))
    n, seen = p["listed"], p["visited"]
    return {
        "listed_objects": n,
        "visits_this_month": p["visits"],
        "visited_this_month": seen,
        "coverage_this_month": ratio(seen, n),
        "unvisited_last_month": None if ctx["last_month_null"] else n - p["visited_last"],
        "yellow_cards_28d": p["yellow"],
        "summons_due": len(summons),
        "summons": summons,
        "ratings": {k: p[f"r_{k}"] for k in RATINGS},
    }
