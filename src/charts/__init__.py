"""Plotly figure builders shared by the pages and the exports (data in, go.Figure out)."""

# Chinese first: the server-side PNG export has Noto Sans CJK; viewers' machines may have the others.
FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
