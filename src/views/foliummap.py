"""A folium map drawn with streamlit-folium's component from parts rendered once.

`st_folium(m)` renders the folium map (a Jinja template per element) on every rerun. Here
the rendering is split from the drawing, so a page can cache the rendered parts (see
`shell.draw_map`) and a rerun only sends them:

    parts = foliummap.render(m)              # the strings st_folium would send; cacheable
    out = foliummap.draw(parts, key="township_map", height=560,
                         returned_objects=["last_active_drawing"])

`render` and `draw` follow `streamlit_folium.st_folium` (the version pinned in
constraints.txt) for a map with no feature group, layer control or zoom/centre override;
tests/views/test_foliummap.py checks that both send the component the same arguments.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium
import streamlit as st
import streamlit_folium as stf


def render(m: folium.Map) -> dict[str, Any]:
    """The component's arguments for `m` that depend on the map (strings, bounds, zoom)."""
    m.get_root().render()
    m.render()
    # the same order as st_folium: _get_map_string renames the map's elements
    html = stf._get_html(m)
    header = stf._get_header(m)
    script = stf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for el in _walk(m):
        css += [href for _, href in getattr(el, "default_css", [])]
        js += [src for _, src in getattr(el, "default_js", [])]
    (s, w), (n, e) = m.get_bounds()
    return {
        "script": script, "header": header, "html": html, "id": stf.get_full_id(m),
        "bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}},
        "zoom": m.options.get("zoom"),
        "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)),
    }


def _walk(el) -> Iterable[Any]:
    if isinstance(el, folium.elements.JSCSSMixin):
        yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


_DEFAULTS = {
    "last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
    "last_object_clicked_tooltip": None, "last_object_clicked_popup": None,
    "all_drawings": None, "last_active_drawing": None, "bounds": None, "zoom": None,
    "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
    "selected_tags": None, "last_geocoder_result": None,
}


def _register() -> None:
    """Streamlit registers a component only when it is declared inside a script run;
    duzhan.serve's preload imports streamlit_folium before any, so the browser got a 404
    for the map's frame and an empty map. Register it with the running server once."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():  # AppTest: no server, no frame to serve
        return
    registry = Runtime.instance().component_registry
    if registry.get_component_path(stf._component_func.name) is None:
        registry.register_component(stf._component_func)


def draw(parts: dict[str, Any], *, key: str, height: int,
         returned_objects: Iterable[str] = ()) -> dict | None:
    """Draw rendered `parts` full width; returns what the map reports (clicks), as st_folium."""
    returned = list(returned_objects)
    defaults = {k: parts.get(k, v) for k, v in _DEFAULTS.items() if k in returned}
    hash_key = stf.generate_js_hash(parts["script"], key, False)

    def on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    _register()
    return stf._component_func(
        script=parts["script"], header=parts["header"], html=parts["html"], id=parts["id"],
        key=hash_key, height=height, width=None, returned_objects=returned,
        default=defaults, zoom=None, center=None, feature_group=None,
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=parts["css_links"], js_links=parts["js_links"], on_change=on_change,
        wrap_longitude=False,
    )


__all__ = ["render", "draw"]
