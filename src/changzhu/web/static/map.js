"use strict";
// National map of inflow and service gaps, drilling down province → city → county.
// Polygons are filled scatter traces (no map tiles, no topojson, no WebGL): works offline anywhere.
const X_SCALE = Math.cos(35 * Math.PI / 180);
const SCALE = [[0, [255, 255, 204]], [0.25, [254, 217, 118]], [0.5, [253, 141, 60]], [0.75, [227, 26, 28]], [1, [128, 0, 38]]];

function colour(t) {
  if (t === null || t === undefined || Number.isNaN(t)) return "#dddddd";
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

function rings(geometry) {
  const polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
  const xs = [], ys = [];
  for (const polygon of polygons) for (const ring of polygon) {
    for (const [lon, lat] of ring) { xs.push(lon * X_SCALE); ys.push(lat); }
    xs.push(null); ys.push(null);
  }
  return [xs, ys];
}

const state = {geo: null, path: [], gaps: null, gapServices: []};

function measureOf(row) {
  const m = document.getElementById("measure").value;
  if (m === "inflow") return row.pop_resident_2020 ? row.interprov_in_migrants_2020 / row.pop_resident_2020 : null;
  if (m === "renhu") return row.pop_resident_2020 ? row.renhu_fenli_2020 / row.pop_resident_2020 : null;
  if (m.startsWith("gap:") && state.gaps) {
    const hit = state.gaps.find(g => g.region_code === row.code && g.service === m.slice(4));
    return hit ? hit.gap : null;
  }
  return null;
}

function isShare() { return ["inflow", "renhu"].includes(document.getElementById("measure").value); }
function show(value) { return isShare() ? CZ.pct(value) : CZ.fmt(value, 0); }

async function loadGaps(level) {
  try {
    const parent = state.path.length ? "&province=" + state.path[0].code : "";
    const result = await CZ.api("/planning/gaps?basis=resident&level=" + level + parent + "&limit=500");
    state.gaps = result.items;
  } catch (error) {
    state.gaps = null;
  }
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
  document.getElementById("map-note").textContent = CZ.t("map.note") + (state.gaps ? "" : " " + CZ.t("map.no_gap"));
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
}

function drill(row) {
  if (state.path.length >= 2) return;
  state.path.push({code: row.code, name: CZ.name(row), lon: row.lon, lat: row.lat});
  render();
}

async function render() {
  crumbs();
  const level = ["province", "prefecture", "county"][state.path.length];
  const parent = state.path.length ? state.path[state.path.length - 1].code : null;
  const query = "/regions?level=" + level + "&limit=500" + (parent ? "&parent=" + parent : "");
  const rows = (await CZ.api(query)).items;
  await loadGaps(level);
  const values = rows.map(measureOf);
  const finite = values.filter(v => v !== null && Number.isFinite(v));
  const lo = Math.min(...finite), hi = Math.max(...finite), span = (hi - lo) || 1;
  const traces = [];
  const provinceCode = state.path.length ? state.path[0].code : null;
  for (const feature of state.geo.features) {
    const code = String(feature.properties.code);
    if (provinceCode && code !== provinceCode) continue;
    const [xs, ys] = rings(feature.geometry);
    const row = level === "province" ? rows.find(r => r.code === code) : null;
    const value = row ? measureOf(row) : null;
    traces.push({
      x: xs, y: ys, mode: "lines", fill: "toself", hoverinfo: "skip", showlegend: false,
      fillcolor: level === "province" ? colour(value === null ? null : (value - lo) / span) : "#f3f0ea",
      line: {color: level === "province" ? "white" : "#9aa5b1", width: 0.7},
    });
  }
  const withPoint = rows.filter(r => r.lon !== null && r.lat !== null);
  const maxPop = Math.max(...withPoint.map(r => r.pop_resident_2020 || 0), 1);
  traces.push({
    x: withPoint.map(r => r.lon * X_SCALE), y: withPoint.map(r => r.lat), mode: "markers", type: "scatter",
    customdata: withPoint.map(r => r.code), showlegend: false,
    text: withPoint.map(r => CZ.name(r) + "<br>" + CZ.t("col.resident") + " " + CZ.fmt(r.pop_resident_2020) + "<br>" + show(measureOf(r))),
    hoverinfo: "text",
    marker: {
      size: withPoint.map(r => 8 + 30 * Math.sqrt((r.pop_resident_2020 || 0) / maxPop)),
      color: withPoint.map(r => colour(measureOf(r) === null ? null : (measureOf(r) - lo) / span)),
      line: {color: "#333", width: 0.6}, opacity: 0.9,
    },
  });
  const layout = {
    margin: {l: 0, r: 0, t: 10, b: 0}, height: 560, hovermode: "closest", dragmode: "pan",
    xaxis: {visible: false, scaleanchor: "y"}, yaxis: {visible: false}, plot_bgcolor: "#fff", paper_bgcolor: "#fff",
  };
  const chart = document.getElementById("map");
  await Plotly.react(chart, traces, layout, {displaylogo: false, responsive: true});
  chart.removeAllListeners && chart.removeAllListeners("plotly_click");
  chart.on("plotly_click", (event) => {
    const code = event.points[0].customdata;
    const row = rows.find(r => r.code === code);
    if (row) drill(row);
  });
  const select = document.getElementById("drill");
  select.innerHTML = `<option value="">${CZ.escape(CZ.t("map.choose"))}</option>` +
    rows.map(r => `<option value="${r.code}">${CZ.escape(CZ.name(r))} ${r.code}</option>`).join("");
  select.disabled = state.path.length >= 2;
  select.onchange = () => { const row = rows.find(r => r.code === select.value); if (row) drill(row); };
  const sorted = [...rows].sort((a, b) => (measureOf(b) ?? -Infinity) - (measureOf(a) ?? -Infinity));
  CZ.table(document.getElementById("region-table"), [
    {label: CZ.t("col.region"), fmt: r => CZ.name(r)},
    {label: CZ.t("col.code"), fmt: r => r.code},
    {label: CZ.t("col.resident"), num: true, fmt: r => CZ.fmt(r.pop_resident_2020)},
    {label: CZ.t("col.renhu"), num: true, fmt: r => CZ.fmt(r.renhu_fenli_2020)},
    {label: CZ.t("col.inflow"), num: true, fmt: r => CZ.fmt(r.interprov_in_migrants_2020)},
    {label: CZ.t("map.measure"), num: true, fmt: r => show(measureOf(r))},
  ], sorted, state.path.length < 2 ? drill : null);
}

CZ.ready(async () => {
  state.geo = await CZ.api("/geo/provinces");
  document.getElementById("measure").addEventListener("change", render);
  await render();
});
