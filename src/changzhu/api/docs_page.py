"""Interactive API documentation at /api/v1/docs, served offline (no CDN): every operation of the OpenAPI
schema with its parameters, a form to call it with a token, and the answer."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

router = APIRouter()

PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>changzhu API 接口文档</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#222}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
details{border:1px solid #ddd;border-radius:4px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer;font-family:monospace} .m{display:inline-block;width:4.5rem;font-weight:bold}
.GET{color:#1565c0}.POST{color:#2e7d32}.PUT{color:#ef6c00}.DELETE{color:#c62828}
label{display:block;margin:.3rem 0;font-size:.9rem}
input,textarea{font-family:monospace;width:100%;box-sizing:border-box}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:24rem;white-space:pre-wrap}
#auth{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ccc}
</style></head><body>
<h1>changzhu 常住 API <small id="version"></small></h1>
<p>每个接口可在此直接调用。Every operation can be called from here: log in (or paste a token), fill the
parameters, press Send. Schema: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<div id="auth"><label>Token (Bearer) <input id="token" placeholder="POST /api/v1/auth/login → access_token"></label>
<label>用户名 Username <input id="user" style="width:12rem;display:inline"></label>
<label>密码 Password <input id="pass" type="password" style="width:12rem;display:inline"></label>
<button id="login">登录 Log in</button> <span id="who"></span></div>
<div id="ops"></div>
<script src="/api/v1/docs.js"></script></body></html>
"""

SCRIPT = """"use strict";
const $ = id => document.getElementById(id);
$("token").value = sessionStorage.getItem("cz.token") || "";
$("token").addEventListener("change", () => sessionStorage.setItem("cz.token", $("token").value.trim()));
$("login").addEventListener("click", async () => {
  const r = await fetch("/api/v1/auth/login", {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({username: $("user").value, password: $("pass").value})});
  const body = await r.json();
  if (r.ok) { $("token").value = body.access_token; sessionStorage.setItem("cz.token", body.access_token);
              $("who").textContent = "✓ " + $("user").value; }
  else $("who").textContent = body.message || r.statusText;
});
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c));
  return node;
}
function operation(path, method, op) {
  const box = el("details");
  box.append(el("summary", {}, el("span", {class: "m " + method}, method), path + "  —  " + (op.summary || "")));
  if (op.description) box.append(el("p", {}, op.description));
  const inputs = {};
  for (const p of op.parameters || []) {
    const input = el("input", {placeholder: (p.schema && (p.schema.description || p.schema.type)) || ""});
    inputs[p.name] = [p.in, input];
    box.append(el("label", {}, `${p.name} (${p.in}${p.required ? ", required" : ""}) ${p.description || ""}`, input));
  }
  let body = null;
  if (op.requestBody) {
    body = el("textarea", {rows: 5, placeholder: "JSON"});
    box.append(el("label", {}, "JSON body", body));
  }
  const out = el("pre");
  const send = el("button", {}, "Send 发送");
  send.addEventListener("click", async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const [name, [where, input]] of Object.entries(inputs)) {
      if (!input.value) continue;
      if (where === "path") url = url.replace("{" + name + "}", encodeURIComponent(input.value));
      else if (where === "query") query.append(name, input.value);
    }
    const headers = {};
    const token = $("token").value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    if (body && body.value) headers["Content-Type"] = "application/json";
    const started = performance.now();
    const r = await fetch(url + (query.toString() ? "?" + query : ""),
                          {method, headers, body: body && body.value ? body.value : undefined});
    const text = await r.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 1); } catch (e) { /* not JSON: shown as is */ }
    out.textContent = `${r.status} ${r.statusText} (${Math.round(performance.now() - started)} ms)\\n` + shown;
  });
  box.append(send, out);
  return box;
}
(async () => {
  const schema = await (await fetch("/api/v1/openapi.json")).json();
  $("version").textContent = schema.info.version;
  const byTag = {};
  for (const [path, item] of Object.entries(schema.paths))
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ["other"])[0];
      (byTag[tag] = byTag[tag] || []).push([path, method.toUpperCase(), op]);
    }
  for (const [tag, ops] of Object.entries(byTag)) {
    $("ops").append(el("h2", {}, tag));
    ops.forEach(([path, method, op]) => $("ops").append(operation(path, method, op)));
  }
})();

"""


CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"


@router.get("/api/v1/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """The interactive documentation page."""
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": CSP})


@router.get("/api/v1/docs.js", include_in_schema=False)
def docs_script() -> Response:
    """The page's script (served from here: the page allows no inline script)."""
    return Response(SCRIPT, media_type="text/javascript", headers={"Content-Security-Policy": CSP})
