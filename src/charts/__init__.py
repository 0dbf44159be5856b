"""Plotly figure builders shared by the pages and the exports (data in, go.Figure out)."""

from duzhan.presentation.fonts import CSS_FONT_FAMILY as FONT_FAMILY  # noqa: F401
