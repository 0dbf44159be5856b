"""The audit page's model: Beijing time, kind and detail in the reader's language."""
import datetime as dt

from duzhan.auth import AuditEntry
from duzhan.viewmodels import audit

AT = dt.datetime(2026, 12, 2, 16, 30, 5, tzinfo=dt.UTC)  # 00:30:05 on the 3rd in the county


def test_rows_in_beijing_time_and_words():
    entries = [
        AuditEntry(2, AT, "export", "town", {"what": "brief.pdf", "scope": ["101", "102"],
                                             "as_of": "2026-11-18"}),
        AuditEntry(1, AT, "export", None, {"what": "xlsx:map_table", "scope": None}),
        AuditEntry(3, AT, "user", "cli:root", {"action": "add", "target": "li",
                                               "role": "analyst", "townships": []}),
    ]
    zh = audit.build(entries, "zh").table.frame
    assert list(zh["at"]) == ["2026年12月3日 00:30:05"] * 3
    assert list(zh["kind"]) == ["导出/下载"] * 2 + ["用户变更"]
    assert list(zh["user"]) == ["town", "（未登录）", "cli:root"]
    assert zh["detail"][0] == "内容：brief.pdf; 范围：101、102; 统计截至：2026-11-18"
    assert zh["detail"][1] == "内容：xlsx:map_table; 范围：全县"
    assert zh["detail"][2] == "操作：添加; 对象用户：li; 角色：分析员; 乡镇：—"
    en = audit.build(entries, "en").table.frame
    assert en["at"][0] == "2026-12-03 00:30:05"
    assert en["detail"][1] == "what: xlsx:map_table; scope: whole county"
    assert en["detail"][2] == "action: added; user changed: li; role: Analyst; townships: —"


def test_no_entry_is_an_empty_table_with_its_columns():
    table = audit.build([], "zh").table
    assert table.frame.empty and list(table.frame.columns) == list(audit.COLUMNS)
