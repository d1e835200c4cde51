"use strict";
// Services: demand on both population bases against supply, per province and service (GET /planning/gaps).
// gap = demand − supply on the resident basis; shortages and idle capacity are summed apart (never netted), and
// the cost covers shortages only.
CZ.ready(async () => {
  const target = document.getElementById("service-charts");
  const rows = (await CZ.api("/planning/gaps?level=province&limit=500")).items;
  if (!rows.length) { target.innerHTML = `<p class="note">${CZ.escape(CZ.t("services.none"))}</p>`; return; }
  const services = [...new Set(rows.map(r => r.service))];
  // each province by its name in the chosen language (the gaps carry the Chinese name only)
  const provinces = new Map((await CZ.api("/regions?level=province&limit=500")).items.map(r => [r.code, r]));
  const named = r => (provinces.has(r.region_code) ? CZ.name(provinces.get(r.region_code)) : r.region_name_zh);
  const totals = services.map(service => {
    const of = basis => rows.filter(r => r.service === service && r.basis === basis);
    const sum = (list, key) => list.reduce((a, r) => a + (r[key] || 0), 0);
    const resident = of("resident");
    return {service, resident: sum(resident, "demand"), registered: sum(of("local_hukou_resident"), "demand"),
      supply: sum(resident, "supply"), shortage: resident.reduce((a, r) => a + Math.max(r.gap || 0, 0), 0),
      idle: sum(resident, "idle"), cost: sum(resident, "gap_cost_yuan"),
      estimate: resident.some(r => r.supply_is_estimate)};
  });
  const table = document.createElement("table");
  table.className = "data";
  table.id = "services-table";
  target.appendChild(table);
  CZ.table(table, [
    {label: CZ.t("col.service"), fmt: r => CZ.t("service." + r.service)},
    {label: CZ.t("svc.demand_resident"), num: true, fmt: r => CZ.fmt(r.resident)},
    {label: CZ.t("svc.demand_registered"), num: true, fmt: r => CZ.fmt(r.registered)},
    {label: CZ.t("svc.supply"), num: true, fmt: r => CZ.fmt(r.supply) + (r.estimate ? " (" + CZ.t("label.estimate") + ")" : "")},
    {label: CZ.t("svc.shortage"), num: true, fmt: r => CZ.fmt(r.shortage)},
    {label: CZ.t("svc.idle"), num: true, fmt: r => CZ.fmt(r.idle)},
    {label: CZ.t("svc.gap_cost_shortage"), num: true, fmt: r => CZ.fmt(r.cost)},
  ], totals);
  for (const service of services) {
    const resident = rows.filter(r => r.service === service && r.basis === "resident");
    const registered = rows.filter(r => r.service === service && r.basis === "local_hukou_resident");
    const names = resident.map(named);
    const div = document.createElement("div");
    div.className = "chart service-chart";
    target.appendChild(div);
    await Plotly.newPlot(div, [
      {type: "bar", name: CZ.t("svc.demand_resident"), x: names, y: resident.map(r => r.demand)},
      {type: "bar", name: CZ.t("svc.demand_registered"), x: names, y: registered.map(r => r.demand)},
      {type: "scatter", mode: "markers", name: CZ.t("svc.supply"), x: names, y: resident.map(r => r.supply)},
    ], {title: {text: CZ.t("service." + service)}, barmode: "group", height: 360, margin: {t: 40, l: 70, r: 10, b: 90},
        yaxis: {title: {text: CZ.t("unit." + service)}}, legend: {orientation: "h"}}, {displaylogo: false, responsive: true});
  }
});
