"use strict";
// Scenario comparison: reform files and saved reforms, runs in the background (kept in the database), each run's
// change from the baseline by service (90% interval) and by province (names).
function interval(r) {
  if (!r || r.estimate === null) return r && r.note ? r.note : "";
  return CZ.fmt(r.estimate) + " [" + CZ.fmt(r.low) + " – " + CZ.fmt(r.high) + "]";
}

// a scenario by its title in the chosen language; one without a title (a saved reform) by its name
const titles = new Map();
const titled = name => titles.get(name) || name;

async function showRuns() {
  const runs = (await CZ.api("/scenarios/runs?limit=20")).items.filter(run => run.status === "done");
  const lines = [];
  for (const run of runs.slice(0, 5)) {
    const rows = (await CZ.api("/scenarios/runs/" + run.run_id + "/results?dimension=national&limit=500")).items;
    const byKey = {};
    for (const r of rows) {
      const key = r.scenario + "|" + r.year + "|" + r.service;
      (byKey[key] = byKey[key] || {run, scenario: r.scenario, year: r.year, service: r.service})[r.measure] = r;
    }
    lines.push(...Object.values(byKey));
  }
  CZ.table(document.getElementById("scenario-table"), [
    {label: CZ.t("scenarios.choose"), fmt: r => titled(r.scenario) + " (" + r.year + ", " + r.run.summary.sample + ")"},
    {label: CZ.t("col.service"), fmt: r => CZ.t("service." + r.service)},
    {label: CZ.t("scenarios.delta"), num: true, fmt: r => interval(r.delta_eligible)},
    {label: CZ.t("scenarios.delta_cost"), num: true, fmt: r => interval(r.delta_cost_yuan)},
  ], lines);
  if (!runs.length) return;
  const latest = runs[0];
  const path = "/scenarios/runs/" + latest.run_id + "/results?dimension=province&measure=delta_eligible&limit=500";
  const rows = (await CZ.api(path)).items;
  const services = [...new Set(rows.map(r => r.service))];
  await Plotly.react(document.getElementById("scenario-chart"), services.map(service => {
    const mine = rows.filter(r => r.service === service && r.year === rows[rows.length - 1].year);
    return {type: "bar", name: CZ.t("service." + service), x: mine.map(r => r.group_label), y: mine.map(r => r.estimate),
            error_y: {type: "data", symmetric: false, array: mine.map(r => r.high - r.estimate),
                      arrayminus: mine.map(r => r.estimate - r.low)}};
  }), {title: {text: titled(latest.scenario) + ": " + CZ.t("scenarios.delta")}, barmode: "group", height: 420,
       margin: {t: 40, l: 60, r: 10, b: 90}, legend: {orientation: "h"}}, {displaylogo: false, responsive: true});
}

async function waitFor(runId, status) {
  for (;;) {
    const run = await CZ.api("/scenarios/runs/" + runId);
    if (run.status === "done") return;
    if (run.status === "failed") throw new Error(run.message);
    status.textContent = CZ.t("scenarios.running") + " " + Math.round(100 * run.progress) + "%";
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

CZ.ready(async () => {
  const scenarios = (await CZ.api("/scenarios?limit=100")).items;
  const en = CZ.lang() === "en";
  for (const s of scenarios) titles.set(s.name, (en ? s.title_en || s.title_zh : s.title_zh || s.title_en) || s.name);
  const summary = s => (en ? s.summary_en || s.summary_zh : s.summary_zh || s.summary_en) || s.description;
  // each changed parameter by its label in the chosen language (its key where it has none)
  const labels = new Map();
  for (let offset = 0, total = 1; offset < total; offset += 500) {
    const page = await CZ.api("/parameters?limit=500&offset=" + offset);
    total = page.total;
    for (const p of page.items) labels.set(p.key, CZ.lang() === "en" ? p.label_en || p.label_zh : p.label_zh || p.label_en);
  }
  const shown = value => (value === true ? CZ.t("scenarios.yes") : value === false ? CZ.t("scenarios.no") : value);
  CZ.table(document.getElementById("scenario-list"), [
    {label: CZ.t("scenarios.choose"), fmt: s => titled(s.name)},
    {label: CZ.t("scenarios.description"), fmt: summary},
    {label: CZ.t("scenarios.overrides"),
     fmt: r => r.overrides.map(o => (labels.get(o.parameter) || o.parameter) + " = " + shown(o.value)).join("; ")},
  ], scenarios);
  const select = document.getElementById("scenario-name");
  select.innerHTML = scenarios.map(s => `<option value="${CZ.escape(s.name)}">${CZ.escape(titled(s.name))}</option>`).join("");
  const button = document.getElementById("scenario-run"), status = document.getElementById("scenario-status");
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = CZ.t("scenarios.running");
    try {
      const body = {sample: 0.00002};
      const run = await CZ.api("/scenarios/" + encodeURIComponent(select.value) + "/runs", {method: "POST", body});
      await waitFor(run.run_id, status);
      status.textContent = "";
      await showRuns();
    } catch (error) { CZ.showError(error); status.textContent = ""; }
    button.disabled = false;
  });
  await showRuns();
});
