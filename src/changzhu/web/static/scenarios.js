"use strict";
// Scenario comparison: reform files, small runs on demand, each run's change from the baseline by service and province.
async function showRuns() {
  const runs = await CZ.api("/scenarios/runs");
  const lines = runs.flatMap(run => run.totals.filter(t => t.scenario !== "baseline").map(t => ({run, ...t})));
  CZ.table(document.getElementById("scenario-table"), [
    {label: CZ.t("scenarios.choose"), fmt: r => r.scenario + " (" + r.run.year + ", " + r.run.sample + ")"},
    {label: CZ.t("col.service"), fmt: r => CZ.t("service." + r.service)},
    {label: CZ.t("scenarios.delta"), num: true, fmt: r => CZ.fmt(r.delta_eligible)},
    {label: CZ.t("scenarios.delta_cost"), num: true, fmt: r => CZ.fmt(r.delta_cost_yuan)},
  ], lines);
  if (!runs.length) return;
  const latest = runs[0];
  const rows = (await CZ.api("/scenarios/runs/" + latest.run_id + "?limit=500")).items.filter(r => r.scenario !== "baseline");
  const services = [...new Set(rows.map(r => r.service))];
  await Plotly.react(document.getElementById("scenario-chart"), services.map(service => {
    const mine = rows.filter(r => r.service === service);
    return {type: "bar", name: CZ.t("service." + service), x: mine.map(r => r.province_code), y: mine.map(r => r.delta_eligible)};
  }), {title: {text: latest.scenario + ": " + CZ.t("scenarios.delta")}, barmode: "group", height: 420,
       margin: {t: 40, l: 60, r: 10, b: 60}, legend: {orientation: "h"}}, {displaylogo: false, responsive: true});
}

CZ.ready(async () => {
  const scenarios = (await CZ.api("/scenarios?limit=100")).items;
  CZ.table(document.getElementById("scenario-list"), [
    {label: CZ.t("scenarios.choose"), key: "name"},
    {label: "", key: "description"},
    {label: "overrides", fmt: r => r.overrides.map(o => o.parameter + " = " + o.value).join("; ")},
  ], scenarios);
  const select = document.getElementById("scenario-name");
  select.innerHTML = scenarios.filter(s => s.simulation).map(s => `<option>${CZ.escape(s.name)}</option>`).join("");
  const button = document.getElementById("scenario-run"), status = document.getElementById("scenario-status");
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = CZ.t("scenarios.running");
    try {
      await CZ.api("/scenarios/" + encodeURIComponent(select.value) + "/runs", {method: "POST", body: {sample: 0.00002}});
      status.textContent = "";
      await showRuns();
    } catch (error) { CZ.showError(error); status.textContent = ""; }
    button.disabled = false;
  });
  await showRuns();
});
