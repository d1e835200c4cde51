"""Choropleth maps drawn as SVG polygons: no map tiles, no topojson, no WebGL, so they work offline anywhere.

Plotly's geo and MapLibre traces fetch base layers from the network or need WebGL; a filled Scatter
trace per region needs neither. Coordinates are projected equirectangularly with x scaled by
cos(35°), which keeps China's shape recognisable.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

X_SCALE = math.cos(math.radians(35.0))


def _rings(geometry: Mapping[str, Any]) -> Iterator[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield from polygon


def _outline(geometry: Mapping[str, Any]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in _rings(geometry):
        xs.extend(lon * X_SCALE for lon, _lat in ring)
        ys.extend(lat for _lon, lat in ring)
        xs.append(None)
        ys.append(None)
    return xs, ys


def province_choropleth(
    values: Mapping[str, float],
    geojson: Mapping[str, Any],
    *,
    title: str,
    colorbar_title: str,
    hover: Mapping[str, str] | None = None,
    colorscale: str = "YlOrRd",
    height: int = 620,
) -> go.Figure:
    """A map of `values` by province code; regions without a value are drawn grey."""
    finite = [v for v in values.values() if v is not None and math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = (high - low) or 1.0
    figure = go.Figure()
    for feature in geojson["features"]:
        code = str(feature["properties"]["code"])
        value = values.get(code)
        xs, ys = _outline(feature["geometry"])
        if value is None or not math.isfinite(value):
            color = "#dddddd"
        else:
            color = sample_colorscale(colorscale, [(value - low) / span])[0]
        label = (hover or {}).get(code) or f"{feature['properties'].get('name_zh', code)}"
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=color,
                line={"color": "white", "width": 0.6},
                hoveron="fills",
                text=label,
                hoverinfo="text",
                name=code,
                showlegend=False,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": colorscale,
                "cmin": low,
                "cmax": high,
                "color": [low],
                "showscale": True,
                "colorbar": {"title": {"text": colorbar_title}},
            },
        )
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    figure.update_layout(
        title=title,
        height=height,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"bgcolor": "white"},
    )
    return figure
