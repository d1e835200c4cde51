"use strict";
// Residents living in, or moving to, the caseworker's jurisdiction. Each listing is audited by the API.
CZ.ready(async () => {
  const page = await CZ.api("/residents?limit=200");
  const table = document.getElementById("caseload-table");
  if (!page.items.length) { table.outerHTML = `<p class="note">${CZ.escape(CZ.t("caseload.none"))}</p>`; return; }
  CZ.table(table, [
    {label: "ID", key: "person_key"},
    {label: CZ.t("me.residence"), key: "residence_region"},
    {label: CZ.t("me.hukou"), key: "hukou_region"},
    {label: CZ.t("me.since"), key: "residence_since"},
  ], page.items);
});
