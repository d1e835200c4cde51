"use strict";
// The resident's page: their record, what they qualify for here, what is missing, and their portable account.
async function regionName(code) {
  if (!code) return CZ.t("me.none");
  try {
    const found = await CZ.api("/regions/" + code);
    return CZ.name(found[found.length - 1]) + " (" + code + ")";
  } catch (error) { return code; }
}

function serviceItem(entry) {
  // one service: its title in the chosen language, and for one not yet granted what is missing and from when
  const li = document.createElement("li");
  li.dataset.service = entry.service;
  if (!entry.eligible) li.className = "missing";
  const title = document.createElement("strong");
  title.textContent = CZ.t("service." + entry.service);
  li.appendChild(title);
  const why = document.createElement("div");
  why.className = "why";
  if (entry.eligible) {
    why.textContent = CZ.t("me.rule") + ": " + entry.source;
  } else {
    const parts = entry.unmet.map(u =>
      u.label + (u.value ? " — " + CZ.t("me.has") + " " + u.value : "") + (u.needs ? ", " + CZ.t("me.needs") + " " + u.needs : "") +
      (u.missing ? " (" + u.missing + ")" : ""));
    parts.push(entry.earliest ? CZ.t("me.earliest", {date: entry.earliest}) : CZ.t("me.never"));
    why.textContent = parts.join("; ");
  }
  li.appendChild(why);
  return li;
}

CZ.ready(async (me) => {
  const person = await CZ.api("/residents/" + me.person_key);
  const rows = [
    ["me.residence", await regionName(person.residence_region)],
    ["me.hukou", await regionName(person.hukou_region)],
    ["me.since", person.residence_since],
    ["me.permit", person.residence_permit_since || CZ.t("me.none")],
  ];
  document.getElementById("me-person").innerHTML = "<dl class='person'>" +
    rows.map(([k, v]) => `<dt>${CZ.escape(CZ.t(k))}</dt><dd>${CZ.escape(v)}</dd>`).join("") + "</dl>";
  const entitled = document.getElementById("me-entitled"), missing = document.getElementById("me-missing");
  try {
    const result = await CZ.api("/residents/" + me.person_key + "/entitlements");
    for (const entry of result.services) (entry.eligible ? entitled : missing).appendChild(serviceItem(entry));
    const points = document.getElementById("me-points");
    for (const p of result.points.filter(p => p.of === "self")) {
      const li = document.createElement("li");
      li.textContent = CZ.t("me.points_line", {title: p.title, total: p.total, line: p.line}) + "; " +
        (p.earliest ? CZ.t("me.points_reach", {date: p.earliest}) : CZ.t("me.never"));
      points.appendChild(li);
    }
  } catch (error) {
    entitled.innerHTML = `<li class="missing">${CZ.escape(CZ.t("me.unavailable"))} (${CZ.escape(error.message)})</li>`;
  }
  const account = await CZ.api("/residents/" + me.person_key + "/account");
  const table = document.getElementById("me-account");
  const lines = [
    ...account.contribution_months.map(m => ({what: m.scheme, where: m.paid_region + " → " + m.held_region, value: m.months + " " + CZ.t("me.months")})),
    ...account.school_records.map(s => ({what: s.school + " · " + s.grade, where: s.enrolled_region + " → " + s.held_region, value: s.school_year})),
  ];
  if (!lines.length) { table.outerHTML = `<p class="note">${CZ.escape(CZ.t("me.no_account"))}</p>`; return; }
  CZ.table(table, [
    {label: CZ.t("col.service"), key: "what"}, {label: CZ.t("col.region"), key: "where"}, {label: CZ.t("col.value"), key: "value", num: true},
  ], lines);
});
