"use strict";
// Services: demand on both population bases against supply, per province and service (GET /planning/gaps).
CZ.ready(async () => {
  const target = document.getElementById("service-charts");
  const rows = (await CZ.api("/planning/gaps?level=province&limit=500")).items;
  if (!rows.length) { target.innerHTML = `<p class="note">${CZ.escape(CZ.t("services.none"))}</p>`; return; }
  const services = [...new Set(rows.map(r => r.service))];
  const totals = services.map(service => {
    const of = basis => rows.filter(r => r.service === service && r.basis === basis);
    const sum = (list, key) => list.reduce((a, r) => a + (r[key] || 0), 0);
    return {service, resident: sum(of("resident"), "demand"), registered: sum(of("registered"), "demand"),
      supply: sum(of("resident"), "supply"), gap: sum(of("resident"), "gap"), cost: sum(of("resident"), "gap_cost_yuan")};
  });
  const table = document.createElement("table");
  table.className = "data";
  table.id = "services-table";
  target.appendChild(table);
  CZ.table(table, [
    {label: CZ.t("col.service"), fmt: r => CZ.t("service." + r.service)},
    {label: CZ.t("svc.demand_resident"), num: true, fmt: r => CZ.fmt(r.resident)},
    {label: CZ.t("svc.demand_registered"), num: true, fmt: r => CZ.fmt(r.registered)},
    {label: CZ.t("svc.supply"), num: true, fmt: r => CZ.fmt(r.supply)},
    {label: CZ.t("svc.gap_resident"), num: true, fmt: r => CZ.fmt(r.gap)},
    {label: CZ.t("svc.gap_cost"), num: true, fmt: r => CZ.fmt(r.cost)},
  ], totals);
  for (const service of services) {
    const resident = rows.filter(r => r.service === service && r.basis === "resident");
    const registered = rows.filter(r => r.service === service && r.basis === "registered");
    const names = resident.map(r => r.region_name_zh);
    const div = document.createElement("div");
    div.className = "chart service-chart";
    target.appendChild(div);
    await Plotly.newPlot(div, [
      {type: "bar", name: CZ.t("svc.demand_resident"), x: names, y: resident.map(r => r.demand)},
      {type: "bar", name: CZ.t("svc.demand_registered"), x: names, y: registered.map(r => r.demand)},
      {type: "scatter", mode: "markers", name: CZ.t("svc.supply"), x: names, y: resident.map(r => r.supply)},
    ], {title: {text: CZ.t("service." + service)}, barmode: "group", height: 360, margin: {t: 40, l: 70, r: 10, b: 90},
        legend: {orientation: "h"}}, {displaylogo: false, responsive: true});
  }
});
