"use strict";
// Residents living in, or moving to, the caseworker's jurisdiction. Each listing is audited by the API.
CZ.ready(async () => {
  const page = await CZ.api("/residents?limit=200");
  const table = document.getElementById("caseload-table");
  if (!page.items.length) { table.outerHTML = `<p class="note">${CZ.escape(CZ.t("caseload.none"))}</p>`; return; }
  // a place as "广州市 (440100)" (its English name in English), the code alone only where no name came
  const place = (code, zh, en) => {
    const name = CZ.lang() === "en" ? en || zh : zh;
    return name ? `${name} (${code})` : code;
  };
  CZ.table(table, [
    // staff see every name in this list: a missing one is not on file (the person key is an address, never shown)
    {label: CZ.t("caseload.name"), fmt: r => r.name || CZ.t("caseload.noName")},
    {label: CZ.t("col.residence"), fmt: r => place(r.residence_region, r.residence_region_name, r.residence_region_name_en)},
    {label: CZ.t("col.hukou"), fmt: r => place(r.hukou_region, r.hukou_region_name, r.hukou_region_name_en)},
    {label: CZ.t("col.since"), key: "residence_since"},
  ], page.items);
});
