"""Map colour bars: round ticks in 万/亿 (Chinese) or K/M/B (English), never plotly's "50k"."""

from __future__ import annotations

from changzhu.data.geo import province_geojson
from changzhu.report.lang import Lang
from changzhu.report.maps import colorbar, nice_ticks, province_choropleth, tick_text


def test_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(0, 100_000) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
    assert nice_ticks(-348_284, 120_000) == [-300_000, -200_000, -100_000, 0, 100_000]
    assert nice_ticks(3.2, 3.2) == [3.2]
    ticks = nice_ticks(1.7e6, 1.26e8)
    assert ticks[0] >= 1.7e6 and ticks[-1] <= 1.26e8 and 4 <= len(ticks) <= 7


def test_tick_text_uses_wan_and_yi_in_chinese_and_k_m_in_english() -> None:
    assert tick_text(50_000, 100_000, Lang.ZH) == "5万"
    assert tick_text(150_000_000, 150_000_000, Lang.ZH) == "1.5亿"
    assert tick_text(50_000, 100_000, Lang.EN) == "50K"
    assert tick_text(2_500_000, 5_000_000, Lang.EN) == "2.5M"
    assert tick_text(0.25, 1.0, Lang.EN) == "0.25"
    assert tick_text(-100_000, 300_000, Lang.ZH) == "-10万"


def test_a_map_colour_bar_carries_the_unit_and_the_readable_ticks() -> None:
    values = {f["properties"]["code"]: float(i * 40_000) for i, f in enumerate(province_geojson()["features"])}
    for lang, word in ((Lang.ZH, "万"), (Lang.EN, "M")):
        figure = province_choropleth(values, province_geojson(), title="t", colorbar_title="人 people", lang=lang)
        bars = [t.marker.colorbar for t in figure.data if t.marker is not None and t.marker.showscale]
        assert len(bars) == 1
        assert bars[0].title.text == "人 people"
        assert all(word in text or text == "0" for text in bars[0].ticktext), bars[0].ticktext
        assert not any(text.endswith("k") for text in bars[0].ticktext)
    assert colorbar(0, 1, "ratio", Lang.EN)["ticktext"][-1] == "1"


def test_a_colour_bar_labels_both_its_ends() -> None:
    """The plan report's bar ran from −348,284 to 120,000 with its lowest label at −300,000: its low end unlabelled."""
    bar = colorbar(-348_284, 120_000, "床位（张）", Lang.ZH)
    assert bar["tickvals"][0] == -348_284 and bar["tickvals"][-1] == 120_000, bar["tickvals"]
    assert bar["ticktext"][0] == "-34.83万" and bar["ticktext"][-1] == "12万", bar["ticktext"]
    # a round tick too near an end to be read beside it gives way: -300,000 stays, 100,000 (0.2 step away) does not
    assert -300_000 in bar["tickvals"] and 100_000 not in bar["tickvals"]
    assert colorbar(0, 100_000, "x", Lang.EN)["tickvals"] == [0, 20_000, 40_000, 60_000, 80_000, 100_000]


def test_a_measure_either_side_of_zero_is_drawn_on_a_scale_centred_on_it() -> None:
    """A gap from a surplus (−348,284) to a shortage (120,000) on one colour scale: the two looked alike."""
    codes = [f["properties"]["code"] for f in province_geojson()["features"]]
    values = {code: -348_284.0 + i * 15_000 for i, code in enumerate(codes)}
    figure = province_choropleth(values, province_geojson(), title="t", colorbar_title="床位（张）", lang=Lang.ZH)
    scale = next(t.marker for t in figure.data if t.marker is not None and t.marker.showscale)
    assert (scale.cmin, scale.cmax) == (-348_284.0, 348_284.0)
    assert scale.colorscale[len(scale.colorscale) // 2][1] in ("rgb(247,247,247)", "#f7f7f7"), scale.colorscale
