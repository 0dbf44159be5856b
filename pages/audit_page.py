"""审计日志 Audit log (admin): who signed in or failed to, who imported and exported what,
who changed which user; filtered by day, kind and user, downloadable as Excel."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from duzhan import auth, clock
from duzhan.viewmodels import audit
from duzhan.views import data, shell

LIMIT = 1000

ctx = shell.current()
shell.header(ctx, "page.audit", scoped=False)  # the log is not township figures
st.caption(ctx.t("audit.intro"))

c_since, c_kind, c_user = st.columns([1, 1, 2])
since = c_since.date_input(ctx.t("audit.filter.since"), value=None, key="audit_since",
                           format="YYYY-MM-DD")
kind = c_kind.selectbox(ctx.t("audit.filter.kind"), [None, *auth.KINDS], key="audit_kind",
                        format_func=lambda k: ctx.t("audit.filter.all") if k is None
                        else ctx.t(f"auth.kind.{k}"))
user = c_user.text_input(ctx.t("audit.filter.user"), key="audit_user", max_chars=200).strip()

# a day starts at midnight in the county
start = None if since is None else dt.datetime.combine(since, dt.time(), clock.BEIJING)
entries = auth.read_audit(data.engine(), since=start, user_name=user or None, kind=kind,
                          limit=LIMIT)
vm = audit.build(entries, ctx.lang)
st.caption(ctx.t("audit.shown", shown=len(entries), limit=LIMIT))
if not entries:
    st.info(ctx.t("audit.empty"))
else:
    shell.draw_table(ctx, vm.table)
