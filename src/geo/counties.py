"""The county map of a store of several counties, in folium, with no Streamlit: the county
outlines (the township polygons dissolved by county) coloured by the county's status, its
name and status symbol on it, its figures as tooltip. The classes and texts are those of
:mod:`duzhan.geo.classification`; the map loads only the local Leaflet, as the township map.

    outlines = dissolve(gdf, county_of, names)   # county_code, county_name, geometry
    m, legend = county_map(outlines, counties, "zh")
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import folium

from duzhan.geo import mapview
from duzhan.geo.classification import (
    BORDER,
    LABEL_PX,
    NEUTRAL,
    Legend,
    classify_status,
    feature_properties,
    township_label,
)
from duzhan.i18n import t
from duzhan.presentation.markup import escape
from duzhan.presentation.palette import ACCENT

TOOLTIP = ("county_name", "status_text", "towns_text", "issues_text", "funds_text",
           "loans_text")


def dissolve(gdf, county_of: Mapping[str, str], names: Mapping[str, str]):
    """The county outlines: the townships of `gdf` dissolved by `county_of` (township_code
    → county_code; a township in no county is left out), with `names` (county_code →
    name), in county code order."""
    towns = gdf[gdf["township_code"].isin(county_of)]
    out = (towns.assign(county_code=towns["township_code"].map(county_of))[
        ["county_code", "geometry"]].dissolve(by="county_code").reset_index()
        .sort_values("county_code").reset_index(drop=True))
    out["county_name"] = [names.get(c, c) for c in out["county_code"]]
    return out


def county_geojson(outlines, counties: Iterable[Mapping[str, Any]], lang: str,
                   towns: Mapping[str, Mapping[str, int]], selected: str | None = None) -> dict:
    """The counties as GeoJSON with their fill, and their tooltip texts escaped; `towns`:
    county_code → status → number of its townships; `selected`: the chosen county, drawn
    outlined."""
    entries = {e["county_code"]: e for e in counties}
    cls = classify_status({c: e["status"] for c, e in entries.items()}, lang)
    features = []
    for row in outlines.itertuples(index=False):
        code = str(row.county_code)
        e = entries.get(code)
        props = {"county_code": code, "county_name": str(row.county_name),
                 "fill": cls.color_of.get(code, NEUTRAL), "selected": code == selected}
        if e is not None:
            props.update(feature_properties(e, "status", lang))
            n = towns.get(code, {})
            props["towns_text"] = t("province.map.towns", lang, red=n.get("red", 0),
                                    yellow=n.get("yellow", 0), green=n.get("green", 0))
        else:
            props.update({f: "" for f in TOOLTIP if f != "county_name"})
        props.update({f: escape(props[f]) for f in TOOLTIP})
        features.append({"type": "Feature", "id": code, "properties": props,
                         "geometry": row.geometry.__geo_interface__})
    return {"type": "FeatureCollection", "features": features}


def _style(feature: Mapping[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    return {"fillColor": p["fill"], "fillOpacity": 0.85,
            "color": "#000000" if p["selected"] else BORDER,
            "weight": 4 if p["selected"] else 1.5}


def _highlight(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {"weight": 4, "color": ACCENT}


def county_map(outlines, counties: Iterable[Mapping[str, Any]], lang: str, *,
               towns: Mapping[str, Mapping[str, int]] | None = None,
               selected: str | None = None,
               label_px: int = LABEL_PX) -> tuple[folium.Map, Legend]:
    """(folium map, legend) of the county outlines coloured by status; a click reports the
    county (its feature's county_code, as `last_active_drawing`)."""
    counties = list(counties)
    cls = classify_status({e["county_code"]: e["status"] for e in counties}, lang)
    names = mapview._points(
        (float(p.x), float(p.y), {"label": escape(township_label(row.county_name,
                                                                 row.county_code, cls)),
                                  "weight": 700})
        for row in outlines.itertuples(index=False)
        for p in (row.geometry.representative_point(),))
    m = mapview.local_map(mapview.county_bounds(outlines), lang=lang,
                          padding=mapview.label_padding(names, label_px))
    aliases = [t(f"province.map.tip.{f}", lang) for f in TOOLTIP]
    folium.GeoJson(
        county_geojson(outlines, counties, lang, towns or {}, selected),
        name=t("province.map.layer", lang), style_function=_style,
        highlight_function=_highlight,
        tooltip=folium.GeoJsonTooltip(fields=list(TOOLTIP),
                                      aliases=[escape(a) for a in aliases], sticky=True),
        zoom_on_click=False,
    ).add_to(m)
    mapview._add_labels(m, names, label_px)
    return m, cls.legend


__all__ = ["dissolve", "county_geojson", "county_map"]
