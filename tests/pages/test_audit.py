"""The audit page (admin only): every sign-in, failure, import, download and user change,
newest first, filtered by day, kind and user; its own download is audited too. An import
through the data page is recorded under the signed-in analyst, with its files and outcome."""
from __future__ import annotations

import datetime as dt

from duzhan import clock as county_clock
from duzhan.auth import read_audit
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.views import registry
from tests.pages.conftest import page_ctx
from tests.pages.signin_helpers import (  # noqa: F401 - fixtures
    clock,
    county,
    county_app,
    fast_hashing,
    sign_in,
    submit_sign_in,
)
from tests.pages.test_data import confirm_button, good_issues, upload, workbook


def audit_frame(at):
    frames = [df.value for df in at.dataframe if "detail" in df.value.columns]
    assert len(frames) == 1
    return frames[0]


def test_admin_lands_on_the_log_and_filters_it(county, county_app, clock, downloads_made):
    at = county_app
    at.run()
    submit_sign_in(at, "town", "wrong password")
    clock["now"] += dt.timedelta(minutes=1)
    submit_sign_in(at, "admin")
    assert page_ctx(at).user.role == "admin"
    assert at.title[0].value == t("page.audit", "zh")  # the admin's home page
    frame = audit_frame(at)
    want = read_audit(county.engine)
    # the demo county's import, four users added, a failure, a sign-in
    assert len(frame) == len(want) == 7
    first = frame.iloc[0]
    assert first["kind"] == t("auth.kind.sign_in", "zh") and first["user"] == "admin"
    assert first["at"] == fmt.moment(county_clock.beijing_time(clock["now"]), "zh",
                                     seconds=True)
    assert first["detail"] == "方式：密码"
    assert frame.iloc[1]["detail"] == "原因：用户名或密码不正确"
    assert (frame["kind"] == t("auth.kind.user", "zh")).sum() == 4
    assert "操作：添加; 对象用户：town; 角色：乡镇; 乡镇：" + county.mine in " ".join(frame["detail"])
    assert frame.iloc[-1]["kind"] == t("auth.kind.import", "zh") and frame.iloc[-1]["user"] == "demo"

    at.selectbox(key="audit_kind").set_value("sign_in_failed").run()
    assert list(audit_frame(at)["user"]) == ["town"]
    at.selectbox(key="audit_kind").set_value(None).run()
    at.text_input(key="audit_user").input("admin").run()
    assert list(audit_frame(at)["user"]) == ["admin"]
    at.text_input(key="audit_user").input("").run()
    later = county_clock.beijing_time(clock["now"]).date() + dt.timedelta(days=1)
    at.date_input(key="audit_since").set_value(later).run()
    assert not at.exception and t("audit.empty", "zh") in [i.value for i in at.info]
    at.date_input(key="audit_since").set_value(None).run()

    # the log's own download is an export like any other
    (key, d), = ((k, v) for k, v in downloads_made.items() if "audit" in k)
    assert d["data"]()[:2] == b"PK"
    export = read_audit(county.engine, kind="export")
    assert [(e.user_name, e.detail["what"]) for e in export] == [("admin", "xlsx:audit_log")]


def test_an_import_is_audited_under_the_signed_in_analyst(county, county_app):
    at = sign_in(county_app, "analyst")
    at.switch_page(registry.page("data").script)
    at.run()
    assert not at.exception
    upload(at, "乡镇问题台账.xlsx", workbook(good_issues(county.mine)))
    assert not any(w.key == "data_user" for w in at.text_input)  # the name is the user's
    confirm_button(at).click()
    at.run()
    assert not at.exception and any("导入成功" in s.value for s in at.success)
    imports = read_audit(county.engine, kind="import", user_name="analyst")
    assert [(e.user_name, e.detail["files"], e.detail["outcome"]) for e in imports] == [
        ("analyst", ["乡镇问题台账.xlsx"], "accepted")]
