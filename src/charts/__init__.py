"""Plotly figure builders shared by the pages and the exports (data in, go.Figure out)."""

from duzhan.presentation.fonts import CSS_FONT_FAMILY as FONT_FAMILY  # noqa: F401


def date_axis(fig, lang: str, tickformat: str | None = None, **kw) -> None:
    """The x axis as dates in the page's language: month ticks (2026年3月), and hovers that
    write a day as everywhere else (2026年12月2日); see `hover_day` for hovertemplates."""
    from duzhan.presentation.format import day_d3, month_d3

    fig.update_xaxes(type="date", tickformat=tickformat or month_d3(lang),
                     hoverformat=day_d3(lang), **kw)


def hover_day(lang: str, var: str = "x") -> str:
    """A hovertemplate's date value written as format.day writes it: %{x|%Y年%-m月%-d日}."""
    from duzhan.presentation.format import day_d3

    return "%{" + var + "|" + day_d3(lang) + "}"
