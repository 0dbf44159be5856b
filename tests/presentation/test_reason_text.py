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
