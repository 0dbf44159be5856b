"""One status palette for every page, map and export.

Okabe–Ito colours stay apart for red–green colour-blind viewers and on a washed-out
projector; each status also has its own symbol, so colour is never the only cue.
"""
STATUS_ORDER = ("red", "yellow", "green")
STATUS_COLORS = {"red": "#D55E00", "yellow": "#E69F00", "green": "#009E73"}
STATUS_SYMBOLS = {"red": "●", "yellow": "▲", "green": "■"}
NEUTRAL = "#7F7F7F"
ACCENT = "#0072B2"  # series that are not a status (actual vs. ideal lines)
SECONDARY = "#56B4E9"
# sequential ramp for choropleths (light → dark blue)
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
