"use strict";
// fiscal: rows from /fiscal/allocation, drawn as a bar chart per measure and a table; the note says when the part is not ready.
CZ.ready(async () => {
  const target = document.getElementById("fiscal-table");
  let rows;
  try {
    rows = (await CZ.api("/fiscal/allocation?limit=500")).items;
  } catch (error) {
    target.outerHTML = `<p class="note" id="fiscal-unavailable">${CZ.escape(CZ.t("fiscal.none"))} (${CZ.escape(error.message)})</p>`;
    return;
  }
  if (!rows.length) { target.outerHTML = `<p class="note">${CZ.escape(CZ.t("fiscal.none"))}</p>`; return; }
  const columns = Object.keys(rows[0]);
  const label = columns.find(c => typeof rows[0][c] === "string") || columns[0];
  const numeric = columns.filter(c => typeof rows[0][c] === "number");
  const container = document.createElement("div");
  target.before(container);
  for (const measure of numeric.slice(0, 4)) {
    const div = document.createElement("div");
    div.className = "chart";
    container.appendChild(div);
    await Plotly.newPlot(div, [{type: "bar", x: rows.map(r => r[label]), y: rows.map(r => r[measure]), name: measure}],
      {title: {text: measure}, margin: {t: 40, l: 60, r: 10, b: 80}}, {displaylogo: false, responsive: true});
  }
  if (target.tagName === "TABLE") CZ.table(target, columns.map(c => ({label: c, key: c, num: numeric.includes(c)})), rows);
});
