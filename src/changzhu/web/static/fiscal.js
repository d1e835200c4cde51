"use strict";
// Fiscal allocation: the LP allocation next to per-head splits, equity measures, and net compensation flows.
CZ.ready(async () => {
  const schemes = await CZ.api("/fiscal/schemes");
  const select = document.getElementById("fiscal-scheme");
  // each scheme by its title in the chosen language (the id is the option's value only)
  select.innerHTML = schemes.map(s => `<option value="${CZ.escape(s.scheme_id)}"${s.in_force ? " selected" : ""}>` +
    `${CZ.escape(CZ.lang() === "en" ? s.title_en || s.title_zh : s.title_zh || s.title_en)}</option>`).join("");
  // provinces by name in the chosen language (the results carry the Chinese name only); allocations by their label
  const provinces = new Map((await CZ.api("/regions?level=province&limit=500")).items.map(r => [r.code, r]));
  const province = (code, nameZh) => (provinces.has(code) ? CZ.name(provinces.get(code)) : nameZh);
  const named = r => province(r.region_code, r.region_name_zh);
  const measures = await CZ.api("/fiscal/equity/measures");
  const yuan = key => CZ.t("unit.in_yuan", {label: CZ.t(key)});  // a column of yuan amounts says so
  const ALLOCATIONS = [["LP", "fiscal.lp"], ["per registered", "fiscal.per_registered"], ["per resident", "fiscal.per_resident"]];
  const allocationName = label => {
    const known = ALLOCATIONS.find(([start]) => String(label).startsWith(start));
    return known ? CZ.t(known[1]) : label;
  };
  async function render() {
    const q = "scheme=" + encodeURIComponent(select.value);
    const rows = (await CZ.api("/fiscal/allocation?limit=500&" + q)).items;
    const names = rows.map(named);
    const perHead = (r, key) => r.resident ? r[key] / r.resident : null;
    await Plotly.react(document.getElementById("fiscal-chart"), [
      {type: "bar", name: CZ.t("fiscal.lp"), x: names, y: rows.map(r => perHead(r, "lp_yuan"))},
      {type: "bar", name: CZ.t("fiscal.per_registered"), x: names, y: rows.map(r => perHead(r, "per_registered_head_yuan"))},
      {type: "bar", name: CZ.t("fiscal.per_resident"), x: names, y: rows.map(r => perHead(r, "per_resident_head_yuan"))},
    ], {barmode: "group", height: 460, margin: {t: 20, l: 60, r: 10, b: 90}, legend: {orientation: "h"},
        yaxis: {title: {text: CZ.t("fiscal.yuan_per_resident")}}}, {displaylogo: false, responsive: true});
    CZ.table(document.getElementById("fiscal-table"), [
      {label: CZ.t("col.region"), fmt: named},
      {label: CZ.t("col.resident"), num: true, fmt: r => CZ.fmt(r.resident)},
      {label: yuan("fiscal.lp"), num: true, fmt: r => CZ.fmt(r.lp_yuan)},
      {label: yuan("fiscal.per_registered"), num: true, fmt: r => CZ.fmt(r.per_registered_head_yuan)},
      {label: yuan("fiscal.per_resident"), num: true, fmt: r => CZ.fmt(r.per_resident_head_yuan)},
    ], rows);
    // one row per equity measure (its label), one column per allocation (its translated name)
    const equity = await CZ.api("/fiscal/equity?" + q);
    const shown = measures.filter(m => equity.length && m.measure in equity[0]);
    CZ.table(document.getElementById("fiscal-equity"), [
      {label: CZ.t("fiscal.measure"), fmt: m => CZ.lang() === "en" ? m.label_en : m.label_zh},
      ...equity.map(a => ({label: allocationName(a.allocation), num: true,
        fmt: m => CZ.fmt(a[m.measure], Math.abs(a[m.measure]) >= 100 ? 0 : 3)})),
      {label: CZ.t("fiscal.explanation"), fmt: m => CZ.lang() === "en" ? m.explanation_en : m.explanation_zh},
    ], shown);
    const flows = (await CZ.api("/fiscal/flows?limit=15&" + q)).items;
    CZ.table(document.getElementById("fiscal-flows"), [
      {label: CZ.t("fiscal.payerPayee"), fmt: r => province(r.payer_code, r.payer_name_zh) + " → " + province(r.payee_code, r.payee_name_zh)},
      {label: CZ.t("fiscal.netYuan"), num: true, fmt: r => CZ.fmt(r.net_yuan)},
    ], flows);
  }
  select.addEventListener("change", () => render().catch(CZ.showError));
  await render();
});
