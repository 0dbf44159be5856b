"""Status reasons in words: the net-forecast reasons with their figures (both languages)."""
import datetime as dt

from duzhan.metrics.status import Reason
from duzhan.presentation.format import reason_text


def test_net_forecast_none_names_closed_and_found():
    r = Reason("net_forecast_none", "yellow", 4, 6)
    assert reason_text(r, "zh") == "近28天销号 4 个、新发现 6 个，按当前净增速度无法清零"
    assert reason_text(r.to_dict(), "en") == (
        "4 issues closed and 6 found in the last 28 days: at this net pace the open issues "
        "never clear")


def test_forecast_after_target_shows_both_dates():
    r = Reason("forecast_after_target", "yellow", dt.date(2024, 9, 2), dt.date(2024, 9, 1))
    zh = reason_text(r, "zh")
    assert "净销号速度" in zh and "2024年9月2日" in zh and "2024年9月1日" in zh
    assert reason_text(r.to_dict(), "zh") == zh  # ISO strings (JSON) read the same


def test_campaign_reasons_in_words():
    assert reason_text(Reason("summons_due", "red", 2, 0), "zh") == \
        "2 个挂牌督战单位连续两次黄牌警告，应约谈"
    assert reason_text({"code": "reports_last_missing", "value": 3,
                        "threshold": "2024-06"}, "en") == \
        "Townships without a report for 2024-06: 3"
    assert reason_text(Reason("unassisted_over_15d", "yellow", 1234, 0), "zh") == \
        "纳入监测超过15天未落实帮扶 1,234 户"
    for code in ("yellow_cards_28d", "unvisited_last_month", "guarantee_gaps"):
        for lang in ("zh", "en"):
            assert "5" in reason_text(Reason(code, "yellow", 5, 0), lang)


def test_reports_last_missing_names_the_month_and_a_summons_the_units():
    # English says "label: n" so that one unit reads as well as many
    r = {"code": "reports_last_missing", "value": 2, "threshold": "2024-06"}
    assert reason_text(r, "zh") == "2024年6月月报未报送的乡镇 2 个"
    assert reason_text(r, "en") == "Townships without a report for 2024-06: 2"
    assert reason_text(Reason("summons_due", "red", 3, 0), "en") == \
        "Listed units due a summons (a yellow card twice in a row): 3"
    # every campaign reason as the report carries it (code, count, threshold 0)
    for code in ("yellow_cards_28d", "unvisited_last_month", "guarantee_gaps",
                 "unassisted_over_15d", "summons_due"):
        for lang in ("zh", "en"):
            text = reason_text(Reason(code, "yellow", 1234, 0), lang)
            assert "1,234" in text and "{" not in text and "—" not in text


def test_month_formatter():
    from duzhan.presentation.format import month

    assert month("2024-06", "zh") == "2024年6月" and month("2024-06", "en") == "2024-06"
    assert month(dt.date(2024, 12, 31), "zh") == "2024年12月" and month(None) == "—"
