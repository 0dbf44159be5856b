"""One status palette for every page, map and export (plotly, folium, matplotlib PDF, PPTX,
Streamlit chips).

Red and yellow are the ones a room calls red and yellow on a washed-out projector and in
print (Material red 800, yellow 700; Okabe–Ito bluish green), not the Okabe–Ito vermilion and orange, which both
read as orange there. Red–green colour-blind readers still tell them apart by lightness
(`tests/presentation/test_palette.py`) and by the symbol each status carries (● ▲ ■), so
colour is never the only cue. Text on a status fill takes STATUS_TEXT (dark on yellow).
"""
STATUS_ORDER = ("red", "yellow", "green")
STATUS_COLORS = {"red": "#C62828", "yellow": "#FBC02D", "green": "#009E73"}
STATUS_TEXT = {"red": "#FFFFFF", "yellow": "#1A1A1A", "green": "#FFFFFF"}  # text on the fill
# a status word written in its colour on white (PDF, PPTX tables): yellow text on white is
# unreadable, so the yellow darkens to gold
STATUS_INK = {"red": "#C62828", "yellow": "#8A6D00", "green": "#00734F"}
STATUS_SYMBOLS = {"red": "●", "yellow": "▲", "green": "■"}
NEUTRAL = "#7F7F7F"
ACCENT = "#0072B2"  # series that are not a status (actual vs. ideal lines)
SECONDARY = "#56B4E9"
FORECAST = "#E65100"  # the burndown's forecast (the captions call it orange), no status
# sequential ramp for choropleths (light → dark blue)
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
# completion (0 → 1) where the laggard stands out: dark red at 0, pale at 1
LAGGARD_RAMP = ["#8E1B1B", "#C62828", "#EF8A62", "#FDDBC7", "#F7F7F7"]
# loan aging buckets, mild → severe (1–30, 31–90, 91–180, 181+ days)
BUCKET_COLORS = ("#FBC02D", "#F57C00", "#C62828", "#6D0F0F")


def rgba(color: str, alpha: float) -> str:
    """'#RRGGBB' with an opacity, as plotly and CSS take it: 'rgba(r, g, b, a)'."""
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha:g})"


def occupancy_color(rate: float | None) -> str:
    """A relocation site's colour by occupancy (moved in / planned) on the laggard ramp: dark
    red when empty, pale when full; NEUTRAL without a rate. Bands of 25 points: the ramp's
    five colours at 0–25 %, 25–50 %, 50–75 %, 75–100 %, full."""
    if rate is None or rate != rate:  # None or NaN
        return NEUTRAL
    steps = len(LAGGARD_RAMP) - 1
    return LAGGARD_RAMP[max(0, min(int(float(rate) * steps + 1e-9), steps))]
