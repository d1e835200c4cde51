"use strict";
// Fiscal allocation: the LP allocation next to per-head splits, equity measures, and net compensation flows.
CZ.ready(async () => {
  const schemes = await CZ.api("/fiscal/schemes");
  const select = document.getElementById("fiscal-scheme");
  select.innerHTML = schemes.map(s => `<option value="${CZ.escape(s.scheme_id)}"${s.in_force ? " selected" : ""}>` +
    `${CZ.escape(s.scheme_id)} — ${CZ.escape(CZ.lang() === "en" ? s.title_en : s.title_zh)}</option>`).join("");
  async function render() {
    const q = "scheme=" + encodeURIComponent(select.value);
    const rows = (await CZ.api("/fiscal/allocation?limit=500&" + q)).items;
    const names = rows.map(r => r.region_name_zh);
    const perHead = (r, key) => r.resident ? r[key] / r.resident : null;
    await Plotly.react(document.getElementById("fiscal-chart"), [
      {type: "bar", name: CZ.t("fiscal.lp"), x: names, y: rows.map(r => perHead(r, "lp_yuan"))},
      {type: "bar", name: CZ.t("fiscal.per_registered"), x: names, y: rows.map(r => perHead(r, "per_registered_head_yuan"))},
      {type: "bar", name: CZ.t("fiscal.per_resident"), x: names, y: rows.map(r => perHead(r, "per_resident_head_yuan"))},
    ], {barmode: "group", height: 460, margin: {t: 20, l: 60, r: 10, b: 90}, legend: {orientation: "h"},
        yaxis: {title: {text: "yuan / " + CZ.t("col.resident")}}}, {displaylogo: false, responsive: true});
    CZ.table(document.getElementById("fiscal-table"), [
      {label: CZ.t("col.region"), key: "region_name_zh"},
      {label: CZ.t("col.resident"), num: true, fmt: r => CZ.fmt(r.resident)},
      {label: CZ.t("fiscal.lp"), num: true, fmt: r => CZ.fmt(r.lp_yuan)},
      {label: CZ.t("fiscal.per_registered"), num: true, fmt: r => CZ.fmt(r.per_registered_head_yuan)},
      {label: CZ.t("fiscal.per_resident"), num: true, fmt: r => CZ.fmt(r.per_resident_head_yuan)},
    ], rows);
    const equity = await CZ.api("/fiscal/equity?" + q);
    CZ.table(document.getElementById("fiscal-equity"), Object.keys(equity[0] || {}).map(k => ({
      label: k, num: typeof equity[0][k] === "number", fmt: r => typeof r[k] === "number" ? CZ.fmt(r[k], 3) : r[k]})), equity);
    const flows = (await CZ.api("/fiscal/flows?limit=15&" + q)).items;
    CZ.table(document.getElementById("fiscal-flows"), [
      {label: "→", fmt: r => r.payer_name_zh + " → " + r.payee_name_zh},
      {label: "yuan", num: true, fmt: r => CZ.fmt(r.net_yuan)},
    ], flows);
  }
  select.addEventListener("change", () => render().catch(CZ.showError));
  await render();
});
