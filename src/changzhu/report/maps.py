"""Choropleth maps drawn as filled SVG polygons (no tiles, no WebGL: they work offline), publishable in China.

A national map shows the complete territory from files/boundaries (Taiwan, Hong Kong, Macao included) with
the South China Sea islands and the maritime line in an inset at the lower right (南海诸岛), a legend with
the unit, and the note “示意图” with the boundary and data sources. Coordinates are projected
equirectangularly with x scaled by cos(35°). The office's maps (frontend/src/components/ProvinceMap.vue, ECharts)
draw the same boundaries with the same inset window.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from changzhu.data.geo import BEYOND_CENSUS_EN, boundary_source, inset_geojson, maritime_line
from changzhu.report.labels import region_names
from changzhu.report.lang import Lang, pick

X_SCALE = math.cos(math.radians(35.0))
MAIN_WINDOW = ((73.0, 17.0), (135.5, 54.0))  # lon/lat corners of the national map (the inset shows what is south)
INSET_WINDOW = ((105.5, 3.0), (123.5, 24.5))  # lon/lat corners of the 南海诸岛 window (as scripts/build_boundaries)
INSET_ORIGIN = (126.0, 17.3)  # where the window's lower-left corner is drawn (lon, lat of the main map)
INSET_SCALE = 0.5
NO_DATA = "#e3e3e3"
GROUP_ABOVE = 60  # maps with more regions are drawn in colour classes (one trace per class)
CLASSES = 8
MAX_POINTS = 40_000  # a classed map keeps about this many boundary points (enough for a national overview)


def _rings(geometry: Mapping[str, Any]) -> Iterator[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield from polygon


def _outline(geometry: Mapping[str, Any], step: int = 1) -> tuple[list[float | None], list[float | None]]:
    """The rings as x and y with None between them; `step` > 1 keeps every step-th point (and the ring's ends)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in _rings(geometry):
        kept = ring if step == 1 or len(ring) <= 3 * step else [*ring[:-1:step], ring[-1]]
        xs.extend(round(lon * X_SCALE, 4) for lon, _lat in kept)
        ys.extend(lat for _lon, lat in kept)
        xs.append(None)
        ys.append(None)
    return xs, ys


def inset_xy(lon: float, lat: float) -> tuple[float, float]:
    """Where a point of the 南海诸岛 window is drawn on the national map (scaled into the sea east of Taiwan)."""
    (w_lon, w_lat), (o_lon, o_lat) = INSET_WINDOW[0], INSET_ORIGIN
    return round((o_lon + (lon - w_lon) * INSET_SCALE) * X_SCALE, 4), round(o_lat + (lat - w_lat) * INSET_SCALE, 4)


def _inset_outline(geometry: Mapping[str, Any]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    parts = geometry["coordinates"] if geometry["type"] == "MultiLineString" else list(_rings(geometry))
    for part in parts:
        for lon, lat in part:
            x, y = inset_xy(lon, lat)
            xs.append(x)
            ys.append(y)
        xs.append(None)
        ys.append(None)
    return xs, ys


def _add_inset(figure: go.Figure, colours: Mapping[str, tuple[str, str]], lang: Lang = Lang.ZH) -> None:
    """The 南海诸岛 inset: the window's provinces in their map colours, the maritime line and a frame, labelled in
    `lang` (in English its English name, the official Chinese one after it in brackets)."""
    for feature in inset_geojson()["features"]:
        xs, ys = _inset_outline(feature["geometry"])
        code = str(feature["properties"].get("code", ""))
        if feature["geometry"]["type"] == "MultiLineString":
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": "#5b6b7b", "width": 1.1},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
            continue
        color, label = colours.get(code, (NO_DATA, str(feature["properties"].get("name_zh", code))))
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=color,
                hoveron="fills",
                line={"color": "white", "width": 0.4},
                text=label,
                hoverinfo="text",
                showlegend=False,
            )
        )
    (w0, h0), (w1, h1) = INSET_WINDOW
    x0, y0 = inset_xy(w0, h0)
    x1, y1 = inset_xy(w1, h1)
    figure.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, line={"color": "#555", "width": 1})
    # the name under the frame's lower right: inside it, it ran out of the frame on a phone (the frame is ≈43 px
    # wide at 390 px; 南海诸岛 at 11 px is 48)
    figure.add_annotation(
        x=x1,
        y=y0,
        xref="x",
        yref="y",
        text=pick("南海诸岛", "South China Sea Islands<br>(南海诸岛)", lang),
        showarrow=False,
        xanchor="right",
        yanchor="top",
        align="right",
        font={"size": 11 if lang == Lang.ZH else 9, "color": "#333"},
    )
    for line in maritime_line()["features"]:
        for part in line["geometry"]["coordinates"]:
            if min(p[1] for p in part) >= MAIN_WINDOW[0][1]:
                figure.add_trace(
                    go.Scatter(
                        x=[p[0] * X_SCALE for p in part],
                        y=[p[1] for p in part],
                        mode="lines",
                        line={"color": "#5b6b7b", "width": 1.1},
                        hoverinfo="skip",
                        showlegend=False,
                    )
                )


def map_note(lang: Lang, data_source: str) -> str:
    """The note every map carries: sketch map, boundary source, data source."""
    return pick(
        f"示意图 · 边界：{boundary_source(Lang.ZH)} · 数据：{data_source}",
        f"Sketch map (示意图) · boundaries: {boundary_source(Lang.EN)} · data: {data_source}",
        lang,
    )


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round values (steps of 1, 2, 2.5 or 5 × 10ⁿ) from `low` to `high`."""
    span = high - low
    if not span > 0:
        return [low]
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9)
    ticks = [(first + i) * step for i in range(int((high - first * step) / step + 1e-9) + 1)]
    return [round(t, 10) for t in ticks]


def tick_text(value: float, largest: float, lang: Lang) -> str:
    """A colour-bar tick: in Chinese 万 / 亿 (3,000万, 1.5亿), in English K / M / B, scaled by the largest tick."""
    if value == 0:
        return "0"
    scales = ((1e8, "亿"), (1e4, "万")) if lang == Lang.ZH else ((1e9, "B"), (1e6, "M"), (1e3, "K"))
    for size, suffix in scales:
        if largest >= size:
            return f"{value / size:,.4g}{suffix}"
    return f"{value:,.4g}"


def one_value(values: Sequence[float], decimals: int) -> float | None:
    """The value every region of a map has, at the precision the map shows (`decimals`), or None where they
    differ or there is none: a colour scale from 0.0 to 0.0 says nothing, the legend then says the value."""
    finite = [v for v in values if math.isfinite(v)]
    shown = {round(v, decimals) for v in finite}
    return finite[0] if len(shown) == 1 else None


def every_unit(value: str, lang: Lang, *, all_known: bool = True) -> str:
    """The legend of a map whose regions all have one value (shown as `value`); `all_known` False where some regions
    have none (drawn as "no data"): the value is said to be that of every region with data, not of every region."""
    if not all_known:
        return pick(f"有数据的地区相同：均为 {value}", f"The same in every region with data: {value}", lang)
    return pick(f"各地区相同：均为 {value}", f"The same in every region: {value}", lang)


def known_figure(value: float | None) -> bool:
    """Whether a region has a value to colour it by (a figure: not None, not NaN)."""
    return value is not None and math.isfinite(value)


END_ROOM = 0.4  # of a tick step: a round tick nearer a bar's end than this gives way to the end's own label


def bar_ticks(low: float, high: float) -> list[float]:
    """A colour bar's ticks: round ones (nice_ticks) and both its ends, so that a reader sees where the scale stops
    (the plan report's bar began at −348,284 with no label below −300,000 until 2026-12-05); a round tick too near
    an end to be read beside it gives way."""
    ticks = nice_ticks(low, high)
    if len(ticks) < 2:
        return ticks
    room = (ticks[1] - ticks[0]) * END_ROOM
    inner = [t for t in ticks if t - low >= room and high - t >= room]
    return [low, *inner, high]


def colorbar(low: float, high: float, unit: str, lang: Lang) -> dict[str, Any]:
    """The colour bar of a map: its unit as title and readable ticks (tick_text), both its ends labelled."""
    ticks = bar_ticks(low, high)
    largest = max(abs(t) for t in ticks)
    return {
        "title": {"text": unit},
        "len": 0.6,
        "y": 0.65,
        "thickness": 14,
        "tickvals": ticks,
        "ticktext": [tick_text(t, largest, lang) for t in ticks],
    }


DIVERGING = ("RdBu", "RdBu_r")  # the diverging scales the report's maps use (red to blue through white)


def centred(low: float, high: float, colorscale: str) -> tuple[float, float, str]:
    """A scale's range and colours: values either side of zero (a gap from a surplus to a shortage, a change from a
    loss to a gain) on a diverging scale whose white middle is zero, as far below it as above (a one-colour scale
    from −348,284 to 120,000 made a surplus and a shortage look alike until 2026-12-05; the colour bar's signed ends
    say which colour is which); a sequential scale asked for becomes red above zero, blue below; values on one side
    keep their own range and scale."""
    if not low < 0 < high:
        return low, high, colorscale
    bound = max(-low, high)
    return -bound, bound, colorscale if colorscale in DIVERGING else "RdBu_r"


def _filled(xs: list[float | None], ys: list[float | None], color: str, width: float, **hover: Any) -> go.Scatter:
    """Filled outlines (rings separated by None) in one colour, with white borders of `width`."""
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        fillcolor=color,
        showlegend=False,
        line={"color": "white", "width": width},
        **hover,
    )


def choropleth(
    values: Mapping[str, float | None],
    geojson: Mapping[str, Any],
    *,
    title: str,
    unit: str,
    data_source: str,
    lang: Lang = Lang.ZH,
    hover: Mapping[str, str] | None = None,
    colorscale: str = "YlOrRd",
    height: int = 620,
    national: bool = True,
) -> go.Figure:
    """A map of `values` by region code; regions without a value are grey ("no data" in the legend). Values either
    side of zero are drawn on a diverging scale centred on it (`centred`)."""
    finite = [v for v in values.values() if v is not None and math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    low, high, colorscale = centred(low, high, colorscale)
    span = (high - low) or 1.0
    same = one_value(finite, 2)  # every region at one value: the legend says it, no scale from it to itself
    all_known = all(known_figure(values.get(str(f["properties"]["code"]))) for f in geojson["features"])
    figure = go.Figure()
    no_data = pick("无数据", "no data", lang)
    colours: dict[str, tuple[str, str]] = {}
    many = len(geojson["features"]) > GROUP_ABOVE
    points_total = sum(len(ring) for f in geojson["features"] for ring in _rings(f["geometry"]))
    step = max(1, points_total // MAX_POINTS) if many else 1
    groups: dict[str, tuple[list[float | None], list[float | None]]] = {}
    # a region with no hover of its own (no data) is named in `lang` by the one lookup, not by the map's Chinese name
    named = region_names([str(f["properties"]["code"]) for f in geojson["features"]], lang)
    if lang == Lang.EN:
        named = {**BEYOND_CENSUS_EN, **named}
    points: tuple[list[float], list[float], list[str]] = ([], [], [])
    for feature in geojson["features"]:
        code = str(feature["properties"]["code"])
        value = values.get(code)
        xs, ys = _outline(feature["geometry"], step)
        known = value is not None and math.isfinite(value)
        t = (value - low) / span if known else 0.0  # type: ignore[operator]
        if many and known:  # classed: one trace per colour class keeps a 3,000-region map light
            t = (min(int(t * CLASSES), CLASSES - 1) + 0.5) / CLASSES
        color = sample_colorscale(colorscale, [t])[0] if known else NO_DATA
        name = named.get(code) or str(feature["properties"].get("name_zh", code))
        label = (hover or {}).get(code) or (f"{name}: {value:,.2f} {unit}" if known else f"{name}: {no_data}")
        colours[code] = (color, label)
        if many:
            group = groups.setdefault(color, ([], []))
            group[0].extend(xs)
            group[1].extend(ys)
            finite_xs = [x for x in xs if x is not None]
            finite_ys = [y for y in ys if y is not None]
            points[0].append(sum(finite_xs) / len(finite_xs))
            points[1].append(sum(finite_ys) / len(finite_ys))
            points[2].append(label)
            continue
        figure.add_trace(_filled(xs, ys, color, 0.5, hoveron="fills", text=label, hoverinfo="text", name=name))
    for color, (xs, ys) in groups.items():
        figure.add_trace(_filled(xs, ys, color, 0.3, hoverinfo="skip"))
    if many:  # names and values on hover, at each region's middle
        figure.add_trace(
            go.Scatter(
                x=points[0],
                y=points[1],
                mode="markers",
                text=points[2],
                hoverinfo="text",
                marker={"size": 6, "opacity": 0},
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
                "showscale": same is None,
                "colorbar": colorbar(low, high, unit, lang),
            },
        )
    )
    note = map_note(lang, data_source) + pick(f" · 灰色：{no_data}", f" · grey: {no_data}", lang)
    layout: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 40, "b": 48},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"bgcolor": "white"},
        "annotations": [
            {
                "text": note,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.02,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 10, "color": "#555"},
            }
        ],
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1},
    }
    if national:
        (lo0, la0), (lo1, la1) = MAIN_WINDOW
        layout["xaxis"]["range"] = [lo0 * X_SCALE, lo1 * X_SCALE]
        layout["yaxis"]["range"] = [la0, la1]
    if same is not None:
        layout["annotations"].append(
            {
                "text": f"{unit}<br>{every_unit(f'{same:,.2f}', lang, all_known=all_known)}",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0.65,
                "xanchor": "left",
                "font": {"size": 12},
            }
        )
    figure.update_layout(**layout)
    if national:
        _add_inset(figure, colours, lang)  # after the layout, which would replace its annotation
    return figure


def province_choropleth(
    values: Mapping[str, float],
    geojson: Mapping[str, Any],
    *,
    title: str,
    colorbar_title: str,
    hover: Mapping[str, str] | None = None,
    colorscale: str = "YlOrRd",
    height: int = 620,
    lang: Lang = Lang.ZH,
    data_source: str = "2020 census and changzhu",
) -> go.Figure:
    """A national map by province (the whole territory, with the 南海诸岛 inset)."""
    return choropleth(
        values,
        geojson,
        title=title,
        unit=colorbar_title,
        data_source=data_source,
        lang=lang,
        hover=hover,
        colorscale=colorscale,
        height=height,
    )
