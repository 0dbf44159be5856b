"""Who reads this session: the sign-in page, the signed-in user (read again from the store on
every run, so a disable or a role change holds at once), sign-out and the idle timeout.

app.py calls `gate()` first on every run: with sign-in on and nobody signed in it draws the
sign-in page as the only page of the navigation and stops the run, before any ledger is
read; a crafted URL or a websocket client without a session gets that page and nothing else.
With no user in the store sign-in is off and the dashboard opens as the local demo always did.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from duzhan import auth
from duzhan.auth.users import MAX_NAME_LENGTH
from duzhan.i18n import LANGS, t
from duzhan.presentation.markup import markdown_text
from duzhan.views import chrome, data, registry

USER_KEY = "_auth_user"      # the signed-in user's name
SEEN_KEY = "_auth_seen"      # the last run of the session (UTC): the idle timeout counts from it
NOTICE_KEY = "_auth_notice"  # why the sign-in page is shown again (signed out, timed out)
READER_KEY = "_auth_reader"  # this run's Reader, set by gate()
LANG_NAMES = {"zh": "中文", "en": "English"}


def now() -> dt.datetime:
    """The time the sign-in rules use (tests replace it to move the idle clock)."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Reader:
    sign_in: bool  # sign-in is on (the store has users)
    user: auth.User | None = None  # who signed in; None with sign-in off


def _session_reader() -> Reader | None:
    """This session's reader, or None when sign-in is on and nobody is (still) signed in."""
    engine = data.engine()
    name = st.session_state.get(USER_KEY)
    if name is not None:  # one read per run: the user as stored now (a user means sign-in is on)
        at = now()
        user = auth.get_user(engine, name)
        if user is None or user.disabled:
            _end(None)
            return None
        seen = st.session_state.get(SEEN_KEY)
        if seen is None or auth.idle_expired(seen, at):
            auth.record_sign_out(engine, name, at, reason="idle")
            _end("auth.signin.timed_out",
                 minutes=int(auth.idle_timeout().total_seconds() // 60))
            return None
        st.session_state[SEEN_KEY] = at
        return Reader(True, user)
    if not auth.sign_in_enabled(engine):
        return Reader(False)
    return None


def _end(notice: str | None, **params) -> None:
    """Forget everything of the session (filters, uploads, the page context): the next one
    to sign in here starts afresh. The notice says why on the sign-in page."""
    lang = st.session_state.get("f_lang")
    st.session_state.clear()
    if notice:
        st.session_state[NOTICE_KEY] = (notice, params)
    if lang:
        st.session_state["signin_lang"] = lang


def gate() -> Reader:
    """The reader of this run; with sign-in on and nobody signed in, the sign-in page and
    st.stop() (no other page exists for such a session)."""
    reader = _session_reader()
    if reader is None:
        # a page context of an earlier run must not serve anything now
        for key in (READER_KEY, "_page_ctx"):
            st.session_state.pop(key, None)
        # the sign-in form answers at "/" and at every page's URL, so a shared link
        # (/issues?t=…) asks who reads and then opens that page, not "page not found"
        title = t("auth.signin.title", _lang())
        pages = [st.Page(_sign_in_page, title=title, url_path="signin", default=True)]
        pages += [st.Page(_sign_in_page, title=title, url_path=e.slug, visibility="hidden")
                  for e in registry.ALL_PAGES]
        st.navigation(pages, position="hidden").run()
        st.stop()
    st.session_state[READER_KEY] = reader
    return reader


def current() -> Reader | None:
    """The reader gate() let in on this run (None: it did not run or let nobody in)."""
    return st.session_state.get(READER_KEY)


def _lang() -> str:
    lang = st.session_state.get("signin_lang") or st.query_params.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def _sign_in_page() -> None:
    st.session_state.setdefault("signin_lang", _lang())
    left, right = st.columns([4, 1])
    with right:
        st.radio(t("filter.lang", _lang()), LANGS, key="signin_lang", horizontal=True,
                 format_func=LANG_NAMES.__getitem__)
    lang = _lang()
    chrome.library_words(lang)  # the form's "Press Enter to submit form"
    with left:
        st.title(t("app.title", lang))
    st.subheader(t("auth.signin.title", lang))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice is not None:
        st.info(t(notice[0], lang, **notice[1]))
    with st.form("signin", clear_on_submit=True, width=420):
        name = st.text_input(t("auth.signin.name", lang), max_chars=MAX_NAME_LENGTH)
        password = st.text_input(t("auth.signin.password", lang), type="password")
        pressed = st.form_submit_button(t("auth.signin.button", lang), type="primary",
                                        icon=":material/login:")
    st.caption(t("auth.signin.help", lang, minutes=int(auth.idle_timeout().total_seconds() // 60)))
    if not pressed or not name.strip():
        return
    result = auth.authenticate(data.engine(), name, password, now())
    if not result.ok:
        st.error(result.message(lang))
        return
    st.session_state.clear()  # nothing of a previous reader stays
    st.session_state[USER_KEY] = result.user.name
    st.session_state[SEEN_KEY] = now()
    if lang != "zh":
        st.query_params["lang"] = lang
    st.rerun()


def sign_out() -> None:
    """The sidebar's sign-out button (a callback: runs before the next run's gate)."""
    name = st.session_state.get(USER_KEY)
    if name is not None:
        auth.record_sign_out(data.engine(), name, now(), reason="user")
    _end("auth.signin.signed_out")


def sidebar(reader: Reader, lang: str) -> None:
    """Who is signed in and the sign-out button (nothing with sign-in off)."""
    if reader.user is None:
        return
    u = reader.user
    st.caption(t("auth.signed_in_as", lang, name=markdown_text(u.name), role=t(f"auth.role.{u.role}", lang)))
    st.button(t("auth.sign_out", lang), key="auth_sign_out", on_click=sign_out,
              icon=":material/logout:", type="secondary")


__all__ = ["Reader", "gate", "current", "now", "sign_out", "sidebar"]
