"""The frame every page shares: sidebar filters synced with the URL, the page header that
stamps scope, as-of date, data freshness and the demo mark, meeting mode, headline cards."""
from __future__ import annotations

import datetime as dt
import logging
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import streamlit as st

from duzhan import auth, clock
from duzhan.charts import plain_figure
from duzhan.contract import DATE_MAX, DATE_MIN
from duzhan.i18n import LANGS, t
from duzhan.presentation import format as fmt
from duzhan.presentation import words
from duzhan.presentation.markup import escape, markdown_text
from duzhan.presentation.palette import STATUS_COLORS
from duzhan.store.read import DataScope
from duzhan.viewmodels.spec import Card, Chart, Column, Table
from duzhan.views import chrome, data, filters, foliummap, signin

# every page's st.plotly_chart(config=...): no mode bar, whose tooltips are English whatever
# the language (Streamlit's plotly bundle holds no zh-CN locale); each chart has its own
# PNG download, drag zooms and a double click resets
PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False}
T = TypeVar("T")

# One line per script run on the server's stderr: "... duzhan.timing page=overview
# seconds=0.084 cpu=0.070 end=done" (wall and the script thread's CPU seconds: on a busy
# machine the gap is waiting for a core; scripts/bench_browser.py, bench_sessions.py read them).
TIMING = logging.getLogger("duzhan.timing")
if not TIMING.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    TIMING.addHandler(_handler)
    TIMING.setLevel(logging.INFO)
    TIMING.propagate = False


@contextmanager
def timed_run() -> Iterator[dict]:
    """Log how long this script run took on the server (app.py wraps the whole run; it sets
    run["page"] to the page's slug). `end`: done, or the exception that ended it
    (StopException: st.stop, RerunException: st.rerun or a newer run)."""
    run = {"page": "-"}
    t0, c0 = time.perf_counter(), time.thread_time()
    end = "done"
    try:
        yield run
    except BaseException as exc:
        end = type(exc).__name__
        raise
    finally:
        TIMING.info("page=%s seconds=%.3f cpu=%.3f end=%s", run["page"],
                    time.perf_counter() - t0, time.thread_time() - c0, end)


@dataclass(frozen=True)
class PageContext:
    filters: filters.Filters
    version: int
    directory: object  # store.lookup.TownshipDirectory
    status: object  # store.read.DataStatus
    codes: tuple[str, ...] | None  # townships in scope; None = whole county
    access: DataScope = DataScope()  # what this reader may see; every read below goes through it
    last_event: dt.date | None = None  # the ledgers' last event date (a later as-of is warned)
    user: auth.User | None = None  # who signed in; None with sign-in off
    sign_in: bool = False  # sign-in is on (the store has users)
    # the counties this reader may see (empty: a store of one county), and the one chosen:
    # then every read, the township list and the boundaries are that county's
    counties: object = None  # store.lookup.CountyDirectory
    county: str | None = None

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def as_of(self) -> dt.date:
        return self.filters.as_of

    def t(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    @property
    def names(self):
        """Township code → name, every township this reader may see."""
        return self.directory.names

    @property
    def several_counties(self) -> bool:
        """The reader sees more than one county: the county filter and the province page."""
        return bool(self.counties) and len(self.counties.names) > 1

    def county_label(self) -> str | None:
        """The chosen county's name; without one, in a store of several counties, all of
        them (全部3个县); None in a store of one county."""
        if self.county is not None:
            return self.counties.label(self.county)
        if self.several_counties:
            return self.t("scope.all_counties", n=len(self.counties.names))
        return None

    def scope_label(self) -> str:
        return words.scope_label(self.codes, self.directory.label, self.lang,
                                 county=self.county_label())

    def report(self, as_of: dt.date | None = None) -> dict:
        """Metrics JSON: the county and the townships in scope."""
        return data.report(self.version, self.access.allowed, as_of or self.as_of, self.codes,
                           self.county)

    def county_report(self, as_of: dt.date | None = None) -> dict:
        """Metrics JSON with every township (the map colours all of them)."""
        return data.report(self.version, self.access.allowed, as_of or self.as_of, None,
                           self.county)

    def province_report(self, as_of: dt.date | None = None) -> dict:
        """Metrics JSON of every county and township this reader may see, whatever the
        filters (with its `counties` list in a store of several)."""
        return data.province_report(self.version, self.access.allowed, as_of or self.as_of)

    def scope_figures(self, as_of: dt.date | None = None) -> dict:
        return data.scope(self.version, self.access.allowed, as_of or self.as_of, self.codes,
                          self.county)

    def ledgers(self):
        return data.ledgers(self.version, self.access.allowed, self.codes, self.county)

    def boundaries(self):
        """The polygons of the townships this reader may see, of the chosen county (None:
        no boundary file)."""
        if self.county is None:
            return data.boundaries(self.access.allowed)
        return data.boundaries(tuple(self.directory.names))

    def province_boundaries(self):
        """The polygons of every township this reader may see, whatever the county."""
        return data.boundaries(self.access.allowed)

    def county_ledgers(self):
        """Every row this reader may see, of the chosen county, whatever the other filters."""
        return data.ledgers(self.version, self.access.allowed, None, self.county)

    def county_of(self) -> dict[str, str]:
        """township → county of every township this reader may see."""
        towns = data.counties(self.version, self.access.allowed).townships
        return {t: c for c, ts in towns.items() for t in ts}

    def phases(self):
        return data.phases(self.version)

    def above_counties(self) -> PageContext:
        """This context without the county and township filters: every county the reader
        may see (the province overview; its header and files name all of them)."""
        directory = data.townships(self.version, self.access.allowed)
        return replace(self, county=None, directory=directory,
                       codes=None if self.access.allowed is None else tuple(directory.names))


def reader_access() -> DataScope:
    """The townships this session's reader may see, from the signed-in user's role
    (auth.allowed_townships): the whole county with sign-in off or for a leader or an analyst,
    a township user's own, none for an admin or when nobody was let in. Every read (ledgers,
    metrics, the township list, the map, the URL's filters, downloads) obeys it."""
    reader = signin.current()
    if reader is None:
        return DataScope(allowed=())
    return DataScope(allowed=auth.allowed_townships(reader.user))


def _init_widgets(f: filters.Filters) -> None:
    """First run of a session: the URL decides the widgets' starting values."""
    if st.session_state.get("_filters_loaded"):
        return
    st.session_state["f_asof"] = f.as_of
    st.session_state["f_county"] = f.county
    st.session_state["f_towns"] = list(f.townships)
    st.session_state["f_area"] = f.area
    st.session_state["f_lang"] = f.lang
    st.session_state["f_meeting"] = f.meeting
    st.session_state["_asof_refused"] = f.refused_as_of
    st.session_state["_filters_loaded"] = True


def start() -> PageContext:
    """Run by app.py on every rerun, before the page: read the URL, draw the sidebar."""
    version = data.version()
    reader = signin.current() or signin.Reader(True)
    access = reader_access()
    directory = data.townships(version, access.allowed)
    counties = data.counties(version, access.allowed)
    status = data.data_status(version)
    today = clock.today()
    last_event = data.last_event_date(version)
    default_day = clock.default_as_of(last_event, today)
    bounds = filters.as_of_bounds(today)
    url_filters = filters.from_query(st.query_params.to_dict(), default_day, directory.areas,
                                     bounds, counties.townships)
    _init_widgets(url_filters)
    # a page asked for new filter values last run (select_townships): apply them before the
    # widgets exist, as Streamlit only lets a widget's value be set before it is drawn
    for k, v in st.session_state.pop("_pending_filters", {}).items():
        st.session_state[k] = v
    lang = st.session_state.get("f_lang", url_filters.lang)

    with st.sidebar:
        st.markdown(f"### {t('app.title', lang)}")
        st.radio(
            t("filter.lang", lang), LANGS, key="f_lang", horizontal=True,
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        )
        lang = st.session_state["f_lang"]
        st.date_input(t("filter.as_of", lang), key="f_asof", format="YYYY-MM-DD",
                      min_value=bounds[0], max_value=bounds[1])
        directory = _county_filter(counties, directory, lang)
        areas = sorted({a for a in directory.areas.values() if a})
        st.selectbox(t("filter.area", lang), [None, *areas], key="f_area",
                     format_func=lambda a: t("filter.all_areas", lang) if a is None else a,
                     placeholder=t("filter.all_areas", lang))
        st.multiselect(t("filter.townships", lang), list(directory.names), key="f_towns",
                       format_func=directory.label, placeholder=t("filter.all_townships", lang),
                       select_all=False)  # none picked is the whole county; its text is English
        st.toggle(t("filter.meeting", lang), key="f_meeting", help=t("filter.meeting_help", lang))
        signin.sidebar(reader, lang)

    current = filters.Filters(
        as_of=st.session_state["f_asof"] or default_day,
        townships=tuple(c for c in st.session_state["f_towns"] if c in directory.names),
        area=st.session_state["f_area"],
        lang=lang,
        meeting=bool(st.session_state["f_meeting"]),
        county=st.session_state.get("f_county"),
    )
    # the link's asof was not used: say so until the reader picks a date
    refused = st.session_state.get("_asof_refused")
    if refused is not None and current.as_of == default_day:
        st.warning(filters.as_of_notice(refused, bounds, current.as_of, lang))
    else:
        st.session_state["_asof_refused"] = None
    wanted = current.to_query(default_day)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    _base_css()
    chrome.library_words(lang)
    with st.sidebar:
        browser_language(lang)
    if current.meeting:
        _meeting_css()
    codes = current.scope_codes(directory.areas)
    if codes is None and access.allowed is not None:
        # a reader limited to some townships: their "whole county" is those townships, and
        # every label and file says so
        codes = tuple(directory.names)
    ctx = PageContext(current, version, directory, status, codes, access, last_event,
                      reader.user, reader.sign_in, counties, current.county)
    st.session_state["_page_ctx"] = ctx
    return ctx


def _county_filter(counties, directory, lang: str):
    """The county picker, drawn only when the reader sees more than one county; returns the
    township directory of the chosen county (the whole directory without one). A pick from
    another county, or an area the county lacks, is dropped before its widget is drawn."""
    if len(counties.names) < 2:
        st.session_state["f_county"] = None
        return directory
    if st.session_state.get("f_county") not in counties.names:
        st.session_state["f_county"] = None
    st.selectbox(t("filter.county", lang), [None, *counties.names], key="f_county",
                 format_func=lambda c: (t("filter.all_counties", lang) if c is None
                                        else counties.label(c)),
                 placeholder=t("filter.all_counties", lang))
    county = st.session_state["f_county"]
    if county is None:
        return directory
    mine = set(counties.townships[county])
    directory = type(directory)({c: n for c, n in directory.names.items() if c in mine},
                                {c: a for c, a in directory.areas.items() if c in mine})
    st.session_state["f_towns"] = [c for c in st.session_state.get("f_towns", [])
                                   if c in mine]
    if st.session_state.get("f_area") not in set(directory.areas.values()):
        st.session_state["f_area"] = None
    return directory


def select_county(county: str | None, page: str | None = None) -> None:
    """Choose a county (None = every county) from inside a page (a row, a map click), with
    no township or area picked, and open `page` (a registry slug; None: stay)."""
    from duzhan.views import registry

    # st.switch_page drops the widgets' values: the other filters go along as they are
    keep = {k: st.session_state[k] for k in ("f_asof", "f_lang", "f_meeting")
            if k in st.session_state}
    st.session_state["_pending_filters"] = {**keep, "f_county": county, "f_towns": [],
                                            "f_area": None}
    if page is None:
        st.rerun()
    st.switch_page(registry.page(page).script)


def current() -> PageContext:
    """The context app.py built for this rerun (pages call this first)."""
    return st.session_state["_page_ctx"]


def _base_css() -> None:
    # Streamlit's running status has an English "Stop" button (no setting for its words):
    # its running icon alone says the page is working.
    # long card labels (PAR30（逾期30天以上…）) wrap instead of being cut at 1366 px (so does
    # "较上周" beside a long change, under it: it was cut to "较…" in five cards a row); a
    # value (14,606 万元, a gap in points) shrinks to its card's width (five cards a row at
    # 1366 px leave 136 px), so its unit stays in sight; it wraps only if still too wide
    st.markdown(
        """<style>
        [data-testid="stMetricLabel"] > div, [data-testid="stMetricLabel"] p,
        [data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p {
          white-space: normal !important; overflow: visible !important;
          text-overflow: clip !important}
        [data-testid="stMetric"] {container-type: inline-size}
        [data-testid="stStatusWidget"] button {display: none}
        div:has(> [data-testid="stMetricDeltaDescription"]) {flex-wrap: wrap; row-gap: 2px}
        [data-testid="stMetricDeltaDescription"], [data-testid="stMetricDeltaDescription"] * {
          overflow: visible !important; text-overflow: clip !important}
        [data-testid="stMetricValue"] {font-size: clamp(1.25rem, 14cqi, 2.25rem) !important}
        .duzhan-table-box {max-height: 560px; overflow-y: auto; margin-bottom: 1rem}
        .duzhan-table-box table.duzhan-table {font-size: 14px}
        .duzhan-table-box th {position: sticky; top: 0; background: #FFF}
        </style>""",
        unsafe_allow_html=True,
    )


BROWSER_LANGUAGE = {"zh": "zh-CN", "en": "en-US"}


def browser_language(lang: str) -> None:
    """Streamlit's date picker names its months and weekdays in the browser's language
    (window.navigator.language, read on each render, with no parameter to set it): a zh page
    on an English browser showed "December 2026 / S M T W T F S". Make the page's language
    the browser's, so the calendar speaks it too."""
    code = BROWSER_LANGUAGE[lang]
    # the frame reads the language when it next draws, which a resize makes it do now
    st.html(f"<script>if (window.navigator.language !== '{code}') {{"
            "Object.defineProperty(window.navigator, 'language', "
            f"{{get: () => '{code}', configurable: true}});"
            "window.dispatchEvent(new Event('resize'));}</script>",
            unsafe_allow_javascript=True)


def _meeting_css() -> None:
    # projector: no sidebar or toolbar chrome, bigger type, the first screen for figures
    # (not padding); the filters stay in the URL. Type grows inside the page only, so the
    # rem-based paddings of Streamlit's frame do not grow with it. A card's value is 52 px
    # where the card has room, less in a narrow one (15% of its width: a gap in points and
    # 14,606 万元 stay on one line in a quarter of 1366 px).
    st.markdown(
        """<style>
        section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
        header[data-testid="stHeader"] {display:none}
        [data-testid="stMainBlockContainer"], .block-container {
          padding-top: 0.75rem !important; padding-bottom: 2rem !important;
          max-width: 100% !important; padding-left: 2rem !important;
          padding-right: 2rem !important}
        [data-testid="stMainBlockContainer"] {font-size: 22px}
        [data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"],
        [data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li
          {font-size: 22px}
        [data-testid="stCaptionContainer"] p {font-size: 17px !important}
        [data-testid="stMetricValue"], [data-testid="stMetricValue"] *
          {font-size: min(52px, 15cqi) !important; line-height: 1.15}
        [data-testid="stMetricLabel"] p {font-size: 20px !important}
        h1 {font-size: 2.2rem !important; padding: 0 0 .2rem 0 !important}
        h2, h3 {font-size: 1.7rem !important}
        .duzhan-flagged {margin: 0 0 .55em 0; line-height: 1.35}
        .duzhan-flagged b {font-size: 1.3em}
        .duzhan-status {font-size: 1.05em}
        table.duzhan-table {font-size: 20px}
        </style>""",
        unsafe_allow_html=True,
    )


def cached(ctx: PageContext, what: tuple, make: Callable[[], T]) -> T:
    """`make()` once per `what` and the context's data version, reader, scope, as-of day and
    language, shared by every session (views.data.per_view): a page's view model, figures,
    rendered map. `what` names the thing and holds every other input it depends on (page,
    meeting mode, a widget's value). Read the result, never mutate it."""
    return data.per_view(what, ctx.version, ctx.access.allowed, ctx.codes, ctx.as_of, ctx.lang,
                         make, ctx.county)


def header(ctx: PageContext, title_key: str, scoped: bool = True) -> None:
    """Page title with scope, as-of date, data cut-off and source; the demo mark; staleness.
    A `scoped` page (one that shows figures of the filtered townships) stops here when the
    filters select none."""
    left, right = st.columns([5, 1])
    with left:
        st.title(ctx.t(title_key))
    with right:
        if ctx.filters.meeting:
            st.toggle(ctx.t("filter.meeting"), key="f_meeting_inline", value=True,
                      on_change=_leave_meeting)
    cut = ctx.status.last_import_at
    cut_text = fmt.day(clock.beijing_time(cut).date(), ctx.lang) if cut else fmt.DASH
    stamp = markdown_text(ctx.t("stamp.line", scope=ctx.scope_label(),
                                as_of=fmt.day(ctx.as_of, ctx.lang), cutoff=cut_text))
    if ctx.status.is_demo:
        stamp += f" · :orange-badge[{ctx.t('stamp.demo')}]"
    st.caption(stamp)
    if not ctx.sign_in:
        st.caption(f":gray-badge[:material/lock_open: {ctx.t('auth.sign_in_off_badge')}] "
                   f"{ctx.t('auth.sign_in_off')}")
    beyond = filters.beyond_data_notice(ctx.as_of, ctx.last_event, ctx.lang)
    if beyond:
        st.warning(beyond, icon=":material/event_busy:")
    stale = ctx.status.stale(ctx.as_of)
    if stale and not ctx.status.is_demo:
        st.warning(ctx.t("stamp.stale", ledgers="、".join(ctx.t(f"ledger.{k}") for k in stale)))
    left_out = data.left_out(ctx.version, ctx.access.allowed)
    if left_out:
        st.warning(ctx.t("stamp.left_out", min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat(),
                         rows=ctx.t("data.list_sep").join(
                             ctx.t("stamp.left_out_item", ledger=ctx.t(f"ledger.{k}"), n=n)
                             for k, n in left_out.items())))
    if scoped and ctx.codes is not None and not ctx.codes:
        # the filters select no township: say so and draw nothing (an empty scope is not the
        # county, and every figure below would otherwise be read as one)
        st.info(ctx.t("scope.empty_hint"))
        st.stop()


def _leave_meeting() -> None:
    st.session_state["f_meeting"] = False


def status_badge(status: str, lang: str) -> str:
    return words.status_badge(status, lang)


def card(label: str, value: str, help: str | None = None) -> None:
    """A headline card without a change (a date, days left); see week_card for the rest.
    Label and help are drawn as markdown: their texts (a phase's name) shown verbatim."""
    st.metric(markdown_text(label), value, help=_md(help), border=True)


_WORSE_COLOR = {"up": "inverse", "down": "normal", None: "off"}


def week_card(ctx: PageContext, label: str, value: str, now, then, kind: str,
              worse: str | None = None, help: str | None = None,
              caption: str | None = None) -> None:
    """A headline card with its change since D − 7 (now − then, as format.change shows
    `kind`). `worse`: the direction that is bad news ("up": more overdue, red when it rises;
    "down": a rate falling behind, red when it falls; None: neither, grey). A change that
    shows as zero is grey with no arrow and no sign, on every page."""
    delta = fmt.change(now, then, kind, ctx.lang)
    flat = fmt.is_no_change(delta)
    st.metric(markdown_text(label), value, delta=delta, help=_md(help), border=True,
              delta_color="off" if flat else _WORSE_COLOR[worse],
              delta_arrow="off" if flat else "auto",
              # no change to show (nothing last week): no lone "较上周" under the value
              delta_description=None if delta is None else ctx.t("shell.vs_week"))
    if caption:
        st.caption(markdown_text(caption))


def _md(text: str | None) -> str | None:
    return None if text is None else markdown_text(text)


def select_townships(ctx: PageContext, codes: list[str]) -> None:
    """Filter the dashboard to `codes` ([] = whole county) from inside a page (a map click, a
    button): stored for the next run's sidebar, then rerun. A supervision area that does not
    hold them is cleared, so the pick is never an empty scope."""
    pending = {"f_towns": list(codes)}
    area = ctx.filters.area
    if area and any(ctx.directory.areas.get(c) != area for c in codes):
        pending["f_area"] = None
    st.session_state["_pending_filters"] = pending
    st.rerun()


def week_before(ctx: PageContext) -> dt.date:
    return ctx.as_of - dt.timedelta(days=7)


# ---------------------------------------------------------------- declared pieces, drawn


def draw_card(ctx: PageContext, c: Card) -> None:
    """A card declared by a view model: with its week-over-week change when it has a kind."""
    if c.note is not None:
        st.metric(markdown_text(c.label), c.value, delta=c.note, help=_md(c.help), border=True,
                  delta_color="off",
                  delta_arrow="off")
    elif c.kind is None:
        card(c.label, c.value, help=c.help)
        if c.caption:
            st.caption(markdown_text(c.caption))
    else:
        week_card(ctx, c.label, c.value, c.now, c.then, c.kind, c.worse, help=c.help,
                  caption=c.caption)


def draw_headline_cards(ctx: PageContext, vm, scope: str, as_of: str) -> None:
    """The headline cards with week-over-week change, four groups side by side (issues,
    funds, loans, phase): the county overview's and the province overview's."""
    st.subheader(markdown_text(ctx.t("overview.cards_title", scope=scope, as_of=as_of,
                                     week_before=vm.week_before_text)))
    groups = (("issues", vm.issue_cards), ("funds", vm.fund_cards), ("loans", vm.loan_cards),
              ("phase", vm.phase_cards))
    for column, (group, cards) in zip(st.columns(4), groups, strict=False):
        with column:
            st.markdown(f"**{ctx.t(f'overview.group.{group}')}**")
            if group == "phase" and not cards:
                card(ctx.t("overview.card.phase"), ctx.t("overview.card.no_phase"))
            for c in cards:
                draw_card(ctx, c)


def draw_status_changes(ctx: PageContext, vm, area: str) -> None:
    """The units whose status changed since last week (`vm.changes`), before → after;
    `area` ("overview", "province") picks the heading and the none-changed text."""
    st.markdown(f"**{ctx.t(f'{area}.changes_title', week_before=vm.week_before_text)}**")
    if not vm.changes:
        st.caption(ctx.t(f"{area}.no_changes"))
    for e in vm.changes:
        st.markdown("- " + ctx.t(
            "overview.change_line", township=markdown_text(e.name),
            before=status_badge(e.before, ctx.lang),
            after=status_badge(e.after, ctx.lang)), unsafe_allow_html=True)


def draw_cards(ctx: PageContext, cards: list[Card], per_row: int) -> None:
    """Cards in rows of `per_row` columns."""
    for start in range(0, len(cards), per_row):
        for column, c in zip(st.columns(per_row), cards[start:start + per_row], strict=False):
            with column:
                draw_card(ctx, c)


_COLUMN_TYPES = {"text": "TextColumn", "number": "NumberColumn", "date": "DateColumn",
                 "progress": "ProgressColumn"}


def column_config(columns: list[Column] | tuple[Column, ...]) -> dict:
    """The st.dataframe column_config of declared columns."""
    out = {}
    for c in columns:
        kw = {k: v for k, v in (("format", c.format), ("width", c.width), ("help", c.help))
              if v is not None}
        if c.kind == "progress":
            kw.update(min_value=0, max_value=100)
        out[c.key] = getattr(st.column_config, _COLUMN_TYPES[c.kind])(c.label, **kw)
    return out


def draw_table(ctx: PageContext, table: Table, **dataframe_kw) -> None:
    """A declared table and its Excel download (headers from the same columns); a table of
    `groups`, one tab each, and one download of the whole table."""
    if table.groups:
        for group, tab in zip(table.groups, st.tabs([g.label for g in table.groups]),
                              strict=True):
            with tab:
                _draw_rows(ctx, replace(table, order=group.keys, groups=(), wrap=True))
    else:
        _draw_rows(ctx, table, **dataframe_kw)
    if not ctx.filters.meeting:
        table_download(ctx, table)


def _draw_rows(ctx: PageContext, table: Table, **dataframe_kw) -> None:
    if ctx.filters.meeting:
        # the projector: every row, wrapped, in the page's big type (a data grid keeps its
        # small type and a fixed height); nothing to download here. A long list (loans
        # due) shows its first rows, worst or soonest first as the model orders them.
        n = len(table.frame)
        st.markdown(table_html(table, MEETING_ROWS), unsafe_allow_html=True)
        if n > MEETING_ROWS:
            st.caption(ctx.t("shell.meeting_rows", shown=fmt.count(MEETING_ROWS),
                             total=fmt.count(n)))
    elif table.wrap:
        # a long list scrolls down inside its box, its header row in sight
        st.markdown(f"<div class='duzhan-table-box'>{table_html(table)}</div>",
                    unsafe_allow_html=True)
    else:
        if table.order is not None:
            dataframe_kw["column_order"] = list(table.order)
        st.dataframe(table.frame, hide_index=True, width="stretch",
                     column_config=column_config(table.columns), **dataframe_kw)


def table_download(ctx: PageContext, table: Table) -> None:
    """The Excel download of a declared table (its columns as the page shows them)."""
    from duzhan.views import downloads

    frame = table.frame if table.order is None else table.frame[list(table.order)]
    downloads.table_download(ctx, frame, table.name_key, headers=table.headers(),
                             mask=table.mask, key=table.key,
                             number_formats=table.number_formats())


MEETING_ROWS = 40  # rows of a meeting-mode table; every township table is shorter
SHORT_HEADER = 4  # characters of a header that never wraps


def table_html(table: Table, rows: int | None = None) -> str:
    """A declared table as a static HTML table (every row, or the first `rows`; text
    wrapped), its cells written as the page's columns show them and escaped (ledger text
    is data, never markup)."""
    by_key = {c.key: c for c in table.columns}
    keys = [k for k in (table.order or list(table.frame.columns)) if k in by_key]
    numeric = {k for k in keys if by_key[k].kind in ("number", "progress")}
    cell_style = "padding:.25em .5em;border-bottom:1px solid #DDD;vertical-align:top"

    def cell(k, text, tag="td", extra=""):
        align = "right" if k in numeric else "left"
        # text of a set width (reasons, descriptions: "large" or px) wraps; a name, a
        # status or a number stays whole; a header wraps, but a short one (排名, 差距分)
        # stays whole (long reasons beside it took the width and left "排/名")
        width = by_key[k].width
        whole = ";white-space:nowrap"
        if tag == "th":
            wrap = whole if len(text) <= SHORT_HEADER else ""
        else:
            wrap = "" if width == "large" or isinstance(width, int) else whole
        return (f"<{tag} style='{cell_style};text-align:{align}{wrap}'{extra}>"
                f"{escape(text)}</{tag}>")

    def head_cell(k):  # the column's key names it for a reader of the markup (tests)
        tip = "" if by_key[k].help is None else f" title='{escape(by_key[k].help)}'"
        return cell(k, by_key[k].label, "th", f" data-key='{k}'{tip}")

    head = "".join(head_cell(k) for k in keys)
    frame = table.frame if rows is None else table.frame.head(rows)
    body = "".join(
        "<tr>" + "".join(cell(k, fmt.column_cell(row[k], by_key[k].kind, by_key[k].format))
                         for k in keys) + "</tr>"
        for _, row in frame.iterrows())
    return (f"<table class='duzhan-table' style='width:100%;border-collapse:collapse'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def draw_flagged(ctx: PageContext, flagged) -> None:
    """The red and yellow townships and why (red first), each a line: chip, name, reasons."""
    lines = "".join(
        f"<div class='duzhan-flagged'>{status_badge(e.status, ctx.lang)} "
        f"<b>{escape(e.name)}</b> — {escape(e.reasons)}</div>" for e in flagged)
    st.markdown(lines, unsafe_allow_html=True)


def draw_chart(ctx: PageContext, chart: Chart) -> None:
    """A declared chart and its PNG download."""
    from duzhan.views import downloads

    kw = {"key": chart.key} if chart.key else {}
    st.plotly_chart(_plain(chart.figure), width="stretch", config=PLOTLY_CONFIG, **kw)
    downloads.chart_download(ctx, chart.figure, chart.name_key)


def lazy_tabs(labels: list[str], key: str) -> list:
    """st.tabs whose content is drawn only in the tab picked (`tab.open`; a pick is a
    rerun): a hidden tab's plotly chart and data grid cost the browser as much as shown
    ones, on every load of the page. The pick is kept across the page's reruns."""
    return st.tabs(labels, key=key, on_change="rerun")


def on_demand(ctx: PageContext, label: str, key: str) -> tuple[Any, bool]:
    """A part drawn when the reader opens it (an expander; opening it is a rerun), and at
    once on the projector, which shows every part: (its container, whether to draw into it
    this run). For plotly charts below the first look: each costs the browser its drawing,
    and the first its 4.7 MB bundle, on every load of the page, whether seen or not."""
    if ctx.filters.meeting:
        return st.container(), True
    box = st.expander(label, key=key, on_change="rerun")
    return box, box.open


def draw_chart_html(ctx: PageContext, chart: Chart, html: str) -> None:
    """A declared chart drawn as `html` (the same picture as its figure, for a small chart
    that alone would make a page load and run the plotly bundle), and its figure's PNG
    download."""
    from duzhan.views import downloads

    st.markdown(html, unsafe_allow_html=True)
    downloads.chart_download(ctx, chart.figure, chart.name_key)


_PLAIN: dict[int, Any] = {}  # id(figure) -> its plain_figure, while the figure lives


def _plain(figure) -> Any:
    """plain_figure(figure), made once per figure object: a page's figures come from its
    cached view model (shared, never mutated), and the copy took ~40 ms a chart on every
    rerun. The entry goes when the figure does (a cache evicts it), so an id never names a
    newer figure."""
    made = _PLAIN.get(id(figure))
    if made is None:
        made = plain_figure(figure)
        _PLAIN[id(figure)] = made
        weakref.finalize(figure, _PLAIN.pop, id(figure), None)
    return made


def draw_map(ctx: PageContext, what: tuple, make: Callable[[], tuple[Any, Any]], *, key: str,
             height: int, returned_objects: Iterable[str] = ()) -> tuple[dict | None, Any]:
    """A folium map made by `make()` -> (map, legend), rendered once per `what` (as `cached`)
    and drawn full width; returns (what the map reports, e.g. a click; the legend)."""
    def rendered():
        m, legend = make()
        return foliummap.render(m), legend

    data.static_assets()
    parts, legend = cached(ctx, ("rendered_map", *what), rendered)
    return foliummap.draw(parts, key=key, height=height, returned_objects=returned_objects), legend


__all__ = ["PageContext", "timed_run", "cached", "draw_map", "start", "header", "card",
           "week_card", "status_badge", "week_before", "select_townships", "select_county", "STATUS_COLORS",
           "draw_card", "draw_cards", "column_config", "draw_table", "draw_chart", "draw_chart_html",
           "draw_flagged", "lazy_tabs", "on_demand",
           "table_html"]
