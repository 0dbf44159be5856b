"""The township map as a static image (geopandas + matplotlib), for slides and the PDF.

    img = map_png(gdf, county_report, "status", stamp, scope=codes)
    img.png, img.file_name, img.legend     # legend == the interactive map's legend

Classes and colours come from :func:`duzhan.geo.classification.classify` (the same
Fisher–Jenks classes, palette and labels as the folium map); townships are drawn with their
exact class colour (opaque, so the printed colours are the legend's), the townships outside the
filtered scope faded and the scope outlined, as on the page. The image carries a title,
the legend with the number of townships per class, a scale bar, a north arrow, the stamp
line and, on demo data, 演示数据.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from duzhan.exports import mplstyle
from duzhan.exports.stamp import Stamp, export_name, file_name
from duzhan.geo.classification import (
    BORDER,
    NEUTRAL,
    OUT_OF_SCOPE,
    Classification,
    Legend,
    classify,
    township_label,
)
from duzhan.geo.mapview import site_legend_bands, site_radius
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import occupancy_color

DPI = 200
FIGSIZE = (12.0, 8.0)  # inches: 2400 × 1600 px at 200 dpi
FADED_ALPHA = 0.3
SITE_EDGE = "#1a1a1a"  # the interactive map's site marker outline
SITE_GID = "relocation_sites"  # the sites' scatter, for whoever looks for it in a figure
PX_TO_PT = 0.75  # the interactive map's CSS pixels as points


@dataclass(frozen=True)
class MapImage:
    png: bytes
    file_name: str
    legend: Legend


def _projected(gdf):
    """The polygons in a metric CRS (the local UTM zone), so the scale bar is true."""
    try:
        crs = gdf.estimate_utm_crs()
    except Exception:  # noqa: BLE001 - odd geometry: fall back to Web Mercator
        crs = "EPSG:3857"
    return gdf.to_crs(crs)


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2, 5 × 10^k metres) near a fifth of the map width."""
    target = max(span_m / 5, 1.0)
    exp = 10 ** math.floor(math.log10(target))
    for f in (5, 2, 1):
        if f * exp <= target:
            return f * exp
    return exp


def _scale_bar(ax, bounds, lang: str) -> None:
    minx, miny, maxx, maxy = bounds
    length = _nice_length(maxx - minx)
    h = (maxy - miny) * 0.012
    x0 = minx + (maxx - minx) * 0.02
    y0 = miny + (maxy - miny) * 0.03
    half = length / 2
    ax.add_patch(Rectangle((x0, y0), half, h, facecolor=mplstyle.INK, edgecolor=mplstyle.INK,
                           lw=0.8, zorder=20))
    ax.add_patch(Rectangle((x0 + half, y0), half, h, facecolor="white",
                           edgecolor=mplstyle.INK, lw=0.8, zorder=20))
    km = length / 1000
    km_text = f"{km:g}"
    for x, label in ((x0, "0"), (x0 + length, t("exports.map.scale_km", lang, km=km_text))):
        ax.text(x, y0 + h * 1.6, label, ha="center", va="bottom", fontsize=9,
                color=mplstyle.INK, zorder=20,
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])


def _north_arrow(ax, lang: str) -> None:
    ax.annotate(t("exports.map.north", lang), xy=(0.965, 0.97), xytext=(0.965, 0.87),
                xycoords="axes fraction", textcoords="axes fraction", ha="center", va="center",
                fontsize=11, fontweight="bold", color=mplstyle.INK,
                arrowprops={"arrowstyle": "-|>", "color": mplstyle.INK, "lw": 1.6},
                zorder=20)


def draw_map(fig: Figure, rect: tuple[float, float, float, float], gdf,
             report: Mapping[str, Any], metric: str, lang: str, *,
             scope: Iterable[str] | None = None, villages: pd.DataFrame | None = None,
             sites: pd.DataFrame | None = None,
             classification: Classification | None = None,
             legend_rect: tuple[float, float, float, float] | None = None,
             label_size: float = 9) -> Legend:
    """Draw the township map into ``rect`` of ``fig`` (figure fractions) and its legend into
    ``legend_rect`` (default: right of the map); returns the legend drawn. ``sites``: the
    relocation sites as circles sized by plan and coloured by occupancy, as on the page."""
    cls = classification or classify(report, metric, lang)
    legend = cls.legend
    in_report = {e["township_code"] for e in report.get("townships", [])}
    scope_set = None if scope is None else set(scope)
    proj = _projected(gdf)
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_aspect("equal")
    fills = [cls.color_of.get(c, NEUTRAL) if c in in_report else OUT_OF_SCOPE
             for c in proj["township_code"]]
    inside = [scope_set is None or c in scope_set for c in proj["township_code"]]
    for keep, alpha in ((True, 1.0), (False, FADED_ALPHA)):
        rows = [i for i, v in enumerate(inside) if v == keep]
        if rows:
            proj.iloc[rows].plot(ax=ax, color=[fills[i] for i in rows], alpha=alpha,
                                 edgecolor="none", zorder=1)
    proj.boundary.plot(ax=ax, color=BORDER, linewidth=0.8, zorder=2)
    if scope_set is not None:
        sel = proj[proj["township_code"].isin(scope_set)]
        if len(sel):
            sel.boundary.plot(ax=ax, color="#000000", linewidth=2.4, zorder=3)
    if villages is not None and len(villages):
        import geopandas as gpd

        v = villages.dropna(subset=["longitude", "latitude"])
        pts = gpd.GeoDataFrame(v, geometry=gpd.points_from_xy(v["longitude"], v["latitude"]),
                               crs="EPSG:4326").to_crs(proj.crs)
        pts.plot(ax=ax, color="white", edgecolor=mplstyle.INK, markersize=14, linewidth=0.9,
                 zorder=4)
    placed = _site_points(sites, proj.crs)
    if placed is not None:
        ax.scatter(placed.geometry.x, placed.geometry.y, s=placed["size"], c=placed["fill"],
                   edgecolors=SITE_EDGE, linewidths=1.2, zorder=5, gid=SITE_GID)
    for row in proj.itertuples(index=False):
        p = row.geometry.representative_point()
        bold = scope_set is None or str(row.township_code) in scope_set
        ax.text(p.x, p.y, township_label(row.township_name, row.township_code, cls),
                ha="center", va="center",
                fontsize=label_size, fontweight="bold" if bold else "normal",
                color=mplstyle.INK, zorder=10,
                path_effects=[patheffects.withStroke(linewidth=2.6, foreground="white")])
    minx, miny, maxx, maxy = proj.total_bounds
    padx, pady = (maxx - minx) * 0.03, (maxy - miny) * 0.03
    ax.set_xlim(minx - padx, maxx + padx)
    ax.set_ylim(miny - pady * 2.5, maxy + pady)
    _scale_bar(ax, (minx - padx, miny - pady * 2.5, maxx + padx, maxy + pady), lang)
    _north_arrow(ax, lang)

    lx, ly, lw, lh = legend_rect or (rect[0] + rect[2] + 0.01, rect[1], 0.2, rect[3])
    lax = fig.add_axes((lx, ly, lw, lh))
    lax.set_axis_off()
    rows = list(legend.classes) + ([legend.no_data] if legend.no_data else [])
    handles = [Patch(facecolor=c.color, edgecolor=BORDER, linewidth=0.8,
                     label=f"{c.label}（{c.count}）" if lang == "zh" else f"{c.label} ({c.count})")
               for c in rows]
    if villages is not None and len(villages):
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                              markeredgecolor=mplstyle.INK, markersize=6,
                              label=t("exports.map.listed_villages", lang)))
    if placed is not None:
        from matplotlib.lines import Line2D

        handles.append(Patch(visible=False, label=t("households.map.sites_legend", lang)))
        handles += [Line2D([], [], marker="o", linestyle="none", markerfacecolor=color,
                           markeredgecolor=SITE_EDGE, markersize=8, label=label)
                    for color, label in site_legend_bands()]
        handles.append(Patch(visible=False, label=t("households.map.sites_size", lang)))
    leg = lax.legend(handles=handles, loc="upper left", frameon=False, fontsize=10,
                     title=t("exports.map.legend_title", lang, metric=legend.title),
                     title_fontsize=11, alignment="left", handlelength=1.8, handleheight=1.1)
    leg.get_title().set_fontweight("bold")
    notes = [legend.note] if legend.note else []
    if scope_set is not None:
        notes.append(t("exports.map.scope_outlined", lang, scope="、".join(
            str(n) for c, n in zip(proj["township_code"], proj["township_name"], strict=False) if c in scope_set)))
    if notes:
        lax.text(0.0, 0.02, "\n".join(_wrap(n, 34) for n in notes),
                 transform=lax.transAxes, ha="left", va="bottom", fontsize=9,
                 color=mplstyle.MUTED)
    return legend


def _site_points(sites: pd.DataFrame | None, crs):
    """The sites with a position (viewmodels.households.site_frame rows) in the map's CRS,
    with their marker's area (points², by plan, as on the interactive map) and occupancy
    colour; None without any."""
    if sites is None:
        return None
    placed = sites.dropna(subset=["longitude", "latitude"])
    if not len(placed):
        return None
    import geopandas as gpd

    largest = float(placed["planned_households"].max())
    size = [(2 * site_radius(float(p), largest) * PX_TO_PT) ** 2
            for p in placed["planned_households"]]
    fill = [occupancy_color(None if pd.isna(r) else float(r)) for r in placed["occupancy_rate"]]
    return gpd.GeoDataFrame(
        {"size": size, "fill": fill},
        geometry=gpd.points_from_xy(placed["longitude"], placed["latitude"]),
        crs="EPSG:4326").to_crs(crs)


def _wrap(text: str, width: int) -> str:
    """Break a note into lines of at most ``width`` units (a CJK character counts 2),
    never inside a run of Latin letters or digits."""
    import re

    lines, cur, used = [], "", 0
    for tok in re.findall(r"[A-Za-z0-9.%()\-–]+|\s+|.", text):
        w = sum(2 if ord(ch) > 0x2E7F else 1 for ch in tok)
        if used + w > width and cur.strip() and tok not in "，。；、：）」』%":
            lines.append(cur.rstrip())
            cur, used = ("" if tok.isspace() else tok), (0 if tok.isspace() else w)
        else:
            cur, used = cur + tok, used + w
    if cur.strip():
        lines.append(cur.rstrip())
    return "\n".join(lines)


def map_title(metric: str, stamp: Stamp) -> str:
    return t("map.title", stamp.lang, metric=t(f"map.metric.{metric}", stamp.lang),
             as_of=fmt.day(stamp.as_of, stamp.lang))


def map_figure(gdf, report: Mapping[str, Any], metric: str, stamp: Stamp, *,
               scope: Iterable[str] | None = None, villages: pd.DataFrame | None = None,
               sites: pd.DataFrame | None = None,
               classification: Classification | None = None,
               figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Legend]:
    """A matplotlib figure of the map with title, legend, scale bar, stamp and demo mark.
    Call inside :func:`duzhan.exports.mplstyle.style` (``map_png`` does)."""
    fig = Figure(figsize=figsize, dpi=DPI)
    fig.text(0.03, 0.955, map_title(metric, stamp), ha="left", va="top", fontsize=17,
             fontweight="bold", color=mplstyle.INK)
    legend = draw_map(fig, (0.03, 0.08, 0.70, 0.83), gdf, report, metric, stamp.lang,
                      scope=scope, villages=villages, sites=sites,
                      classification=classification, legend_rect=(0.75, 0.08, 0.23, 0.83))
    mplstyle.footer(fig, stamp.line(), stamp.demo_mark())
    if stamp.is_demo:
        mplstyle.watermark(fig, stamp.demo_mark())
    return fig, legend


def map_png(gdf, report: Mapping[str, Any], metric: str, stamp: Stamp, *,
            scope: Iterable[str] | None = None, villages: pd.DataFrame | None = None,
            sites: pd.DataFrame | None = None,
            classification: Classification | None = None,
            dpi: int = DPI) -> MapImage:
    """The map as PNG bytes (2400 × 1600 px), its file name (乡镇地图-亮灯状态_全县_….png)
    and the legend drawn. ``report``: the metrics report whose townships are coloured
    (the pages pass the whole county's); ``scope``: the filtered codes (outlined)."""
    with mplstyle.style():
        fig, legend = map_figure(gdf, report, metric, stamp, scope=scope, villages=villages,
                                 sites=sites, classification=classification)
        png = mplstyle.png_bytes(fig, dpi=dpi)
    what = f"{export_name('map', stamp.lang)}-{t(f'map.metric.{metric}', stamp.lang)}"
    return MapImage(png, file_name(what, stamp, "png"), legend)


__all__ = ["MapImage", "draw_map", "map_figure", "map_png", "map_title"]
