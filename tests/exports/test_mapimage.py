"""The static township map: the interactive map's classes and colours, legend, title,
scale bar, stamp, and the status colours in the pixels."""
from __future__ import annotations

import datetime as dt

import pytest
from matplotlib.colors import to_hex

from duzhan.exports import mplstyle
from duzhan.exports.mapimage import SITE_GID, map_figure, map_png
from duzhan.exports.stamp import Stamp
from duzhan.geo import mapview
from duzhan.geo.boundaries import load_boundaries
from duzhan.metrics.report import metrics_report
from duzhan.presentation.palette import STATUS_COLORS, STATUS_SYMBOLS, occupancy_color
from duzhan.viewmodels.households import site_frame
from tests.exports.helpers import as_of, count_color, non_white_share, png_pixels, png_size  # noqa: F401

CUTOFF = dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def gdf():
    return load_boundaries()


@pytest.fixture(scope="module")
def report(demo_ledgers, as_of):
    return metrics_report(demo_ledgers, as_of)


def _stamp(as_of, demo=True):
    return Stamp("全县", as_of, CUTOFF, demo, "zh")


@pytest.mark.parametrize("metric", ["status", "overdue_rate", "closure_rate", "progress_gap"])
def test_legend_equals_the_interactive_maps(metric, gdf, report, as_of):
    _, interactive = mapview.build_map(gdf, report, metric, "zh")
    img = map_png(gdf, report, metric, _stamp(as_of))
    assert img.legend == interactive
    assert [c.color for c in img.legend.classes] == [c.color for c in interactive.classes]
    assert sum(c.count for c in img.legend.classes) + (
        img.legend.no_data.count if img.legend.no_data else 0) == len(report["townships"])


def test_status_map_png_has_the_status_colours(gdf, report, as_of):
    img = map_png(gdf, report, "status", _stamp(as_of))
    w, h = png_size(img.png)
    assert (w, h) == (2400, 1600)
    assert img.file_name == f"乡镇地图-亮灯状态_全县_{as_of.isoformat()}_演示数据.png"
    px = png_pixels(img.png)
    assert non_white_share(px) > 0.2
    for c in img.legend.classes:
        n = count_color(px, c.color)
        if c.count:
            assert n > 2000, f"{c.key}: the map shows no {c.color}"
    # every status of the palette is in the legend, in the palette's colours
    assert [c.color for c in img.legend.classes] == [STATUS_COLORS[s] for s in ("red", "yellow", "green")]


def test_classed_map_png_has_its_class_colours(gdf, report, as_of):
    img = map_png(gdf, report, "overdue_rate", _stamp(as_of, demo=False))
    px = png_pixels(img.png)
    for c in img.legend.classes:
        if c.count:
            assert count_color(px, c.color) > 500, c


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        leg = ax.get_legend()
        if leg is not None:
            out.append(leg.get_title().get_text())
            out += [t.get_text() for t in leg.get_texts()]
    return out


def test_map_has_title_legend_scale_bar_stamp_and_demo_mark(gdf, report, as_of, demo_ledgers):
    codes = list(demo_ledgers.townships["township_code"][:2])
    with mplstyle.style():
        fig, legend = map_figure(gdf, report, "status", _stamp(as_of), scope=codes)
    texts = _texts(fig)
    joined = "\n".join(texts)
    assert any(t.startswith("全县各乡镇亮灯状态") for t in texts)  # title
    assert "亮灯状态（乡镇数）" in texts  # legend title
    assert any(t.startswith("● 红灯") for t in texts)  # legend classes with their counts
    assert any(t.endswith("公里") for t in texts) and "0" in texts  # scale bar
    assert "北" in texts  # north arrow
    assert "数据来源" in joined and "统计截至" in joined  # stamp line
    assert texts.count("演示数据") >= 2  # watermark + footer
    assert "粗框" in joined  # the filtered scope is outlined and said so
    # every township is labelled, its status symbol first (colour is never the only cue)
    symbol = {e["township_code"]: STATUS_SYMBOLS[e["status"]] for e in report["townships"]}
    labels = {f"{symbol[c]} {n}" for c, n in zip(demo_ledgers.townships["township_code"],
                                                   demo_ledgers.townships["township_name"],
                                                   strict=False)}
    assert labels <= set(texts)


def _site_layer(fig):
    found = [c for ax in fig.axes for c in ax.collections if c.get_gid() == SITE_GID]
    assert len(found) == 1
    return found[0]


def test_the_map_draws_the_relocation_sites_like_the_interactive_map(gdf, report, as_of,
                                                                     demo_ledgers):
    sites = site_frame(demo_ledgers, None, as_of, {})
    assert len(sites) >= 3
    with mplstyle.style():
        fig, _ = map_figure(gdf, report, "status", _stamp(as_of), sites=sites)
    layer = _site_layer(fig)
    markers = mapview.site_marker_geojson(sites, "zh")["features"]
    # one circle per site, in the interactive marker's occupancy colour, sized by plan
    assert len(layer.get_offsets()) == len(markers) == len(sites)
    assert [to_hex(c) for c in layer.get_facecolors()] == [
        m["properties"]["fill"].lower() for m in markers]
    radius = [m["properties"]["radius"] for m in markers]
    sizes = list(layer.get_sizes())
    assert sorted(range(len(sizes)), key=sizes.__getitem__) == \
        sorted(range(len(radius)), key=radius.__getitem__)
    assert max(sizes) == pytest.approx((2 * mapview.SITE_RADIUS[1] * 0.75) ** 2)
    texts = _texts(fig)
    assert "安置点入住率" in texts and "圆圈大小：计划安置户数" in texts
    assert [label for _, label in mapview.site_legend_bands()] == [
        t for t in texts if t in {label for _, label in mapview.site_legend_bands()}]
    # without sites: no layer, no site legend
    with mplstyle.style():
        bare, _ = map_figure(gdf, report, "status", _stamp(as_of))
    assert not [c for ax in bare.axes for c in ax.collections if c.get_gid() == SITE_GID]


def test_the_map_png_shows_the_sites_colours(gdf, report, as_of, demo_ledgers):
    sites = site_frame(demo_ledgers, None, as_of, {}).assign(occupancy_rate=0.1)
    with_sites = png_pixels(map_png(gdf, report, "overdue_rate", _stamp(as_of, False),
                                    sites=sites).png)
    without = png_pixels(map_png(gdf, report, "overdue_rate", _stamp(as_of, False)).png)
    dark = occupancy_color(0.1)
    assert count_color(with_sites, dark) > count_color(without, dark) + 50 * len(sites)
