"use strict";
// The resident's page: their record, what they qualify for here, what is missing, and their portable account.
async function regionName(code) {
  if (!code) return CZ.t("me.none");
  try {
    const found = await CZ.api("/regions/" + code);
    return CZ.name(found[found.length - 1]) + " (" + code + ")";
  } catch (error) { return code; }
}

function serviceItem(entry, missing) {
  const li = document.createElement("li");
  if (missing) li.className = "missing";
  const title = document.createElement("strong");
  title.textContent = entry.title || entry.service;
  li.appendChild(title);
  const why = document.createElement("div");
  why.className = "why";
  const parts = [...(entry.reasons || []), ...(entry.missing || [])];
  if (missing) parts.push(entry.earliest_date ? CZ.t("me.earliest", {date: entry.earliest_date}) : CZ.t("me.never"));
  why.textContent = parts.join("; ");
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
    for (const entry of result.services) (entry.eligible ? entitled : missing).appendChild(serviceItem(entry, !entry.eligible));
  } catch (error) {
    entitled.innerHTML = `<li class="missing">${CZ.escape(CZ.t("me.unavailable"))}</li>`;
  }
  const account = await CZ.api("/residents/" + me.person_key + "/account");
  const table = document.getElementById("me-account");
  const lines = [
    ...account.contribution_months.map(m => ({what: m.scheme, where: m.paid_region + " → " + m.held_region, value: m.months + " × " + CZ.t("col.value")})),
    ...account.school_records.map(s => ({what: s.school + " · " + s.grade, where: s.enrolled_region + " → " + s.held_region, value: s.school_year})),
  ];
  if (!lines.length) { table.outerHTML = `<p class="note">${CZ.escape(CZ.t("me.no_account"))}</p>`; return; }
  CZ.table(table, [
    {label: CZ.t("col.service"), key: "what"}, {label: CZ.t("col.region"), key: "where"}, {label: CZ.t("col.value"), key: "value", num: true},
  ], lines);
});
