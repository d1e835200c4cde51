"use strict";
// Shared client: token handling, API calls, i18n, the menu by role. No framework, no network beyond /api/v1.
const CZ = {
  token() { return sessionStorage.getItem("cz.token"); },

  lang() {
    const saved = localStorage.getItem("cz.lang");
    if (saved === "zh" || saved === "en") return saved;
    return (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
  },

  t(key, vars) {
    const table = I18N[CZ.lang()] || I18N.zh;
    let text = table[key] !== undefined ? table[key] : (I18N.en[key] !== undefined ? I18N.en[key] : key);
    for (const [k, v] of Object.entries(vars || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  },

  applyI18n(root) {
    document.documentElement.lang = CZ.lang();
    for (const el of (root || document).querySelectorAll("[data-i18n]")) el.textContent = CZ.t(el.dataset.i18n);
  },

  name(row) {
    if (CZ.lang() === "en" && row.name_en) return row.name_en;
    return row.name_zh || row.name_en || row.code;
  },

  fmt(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return "—";
    if (typeof value === "number") {
      return value.toLocaleString(CZ.lang() === "zh" ? "zh-CN" : "en-US", {maximumFractionDigits: digits ?? 0});
    }
    return String(value);
  },

  pct(value) { return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%"; },

  async api(path, options) {
    const opts = Object.assign({}, options || {});
    const headers = Object.assign({"Accept": "application/json"}, opts.headers || {});
    const token = CZ.token();
    if (token) headers.Authorization = "Bearer " + token;
    if (opts.body !== undefined && typeof opts.body !== "string") {
      headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(opts.body);
    }
    opts.headers = headers;
    const response = await fetch("/api/v1" + path, opts);
    const body = await response.json().catch(() => ({}));
    if (response.status === 401 && document.body.dataset.page !== "login") {
      sessionStorage.removeItem("cz.token");
      location.href = "/login";
    }
    if (!response.ok) {
      const error = new Error(body.message || response.statusText);
      error.status = response.status;
      error.kind = body.error;
      throw error;
    }
    return body;
  },

  showError(error) {
    const box = document.getElementById("error");
    if (!box) return;
    box.hidden = false;
    box.textContent = error && error.message ? error.message : String(error);
  },

  escape(text) {
    const div = document.createElement("div");
    div.textContent = text === null || text === undefined ? "" : String(text);
    return div.innerHTML;
  },

  table(el, columns, rows, onClick) {
    // columns: [{key, label, fmt(row)->string, num: bool}]
    const head = "<thead><tr>" + columns.map(c => `<th class="${c.num ? "num" : ""}">${CZ.escape(c.label)}</th>`).join("") + "</tr></thead>";
    const body = rows.map((row, i) => "<tr data-index='" + i + "'" + (onClick ? " class='clickable'" : "") + ">" +
      columns.map(c => `<td class="${c.num ? "num" : ""}">${CZ.escape(c.fmt ? c.fmt(row) : row[c.key])}</td>`).join("") + "</tr>").join("");
    el.innerHTML = head + "<tbody>" + body + "</tbody>";
    if (onClick) {
      for (const tr of el.querySelectorAll("tbody tr")) tr.addEventListener("click", () => onClick(rows[Number(tr.dataset.index)]));
    }
  },

  async ready(render) {
    document.addEventListener("DOMContentLoaded", async () => {
      CZ.applyI18n();
      const toggle = document.getElementById("lang-toggle");
      if (toggle) toggle.addEventListener("click", () => {
        localStorage.setItem("cz.lang", CZ.lang() === "zh" ? "en" : "zh");
        location.reload();
      });
      if (document.body.dataset.page === "login") { render(null); return; }
      if (!CZ.token()) { location.href = "/login"; return; }
      let me;
      try { me = await CZ.api("/auth/me"); } catch (error) { CZ.showError(error); return; }
      for (const link of document.querySelectorAll("#nav a")) {
        link.hidden = !link.dataset.roles.split(" ").includes(me.role);
        if (link.getAttribute("href") === location.pathname) link.classList.add("active");
      }
      document.getElementById("who").textContent = me.username + " · " + CZ.t("role." + me.role);
      document.getElementById("logout").addEventListener("click", () => {
        sessionStorage.removeItem("cz.token");
        location.href = "/login";
      });
      try { await render(me); } catch (error) { CZ.showError(error); }
    });
  },

  homeFor(role) { return role === "resident" ? "/office/me" : (role === "caseworker" ? "/app/caseload" : "/app/map"); },
};
