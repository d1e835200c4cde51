// The one client of /api/v1: the token the login stored (in the tab's sessionStorage), JSON in and out,
// errors as ApiError carrying the status and the server's message so a view can show them translated; every request
// asks for the office's language (Accept-Language), the language the server writes its error messages in.
import { i18n } from "./i18n.js";

const TOKEN_KEY = "cz.token";
const ROLE_KEY = "cz.role";

export class ApiError extends Error {
  constructor(status, kind, message, problems, data) {
    super(message || kind || String(status));
    this.status = status;
    this.kind = kind;
    this.problems = problems || [];
    this.data = data || {};
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  role: () => sessionStorage.getItem(ROLE_KEY),
  save(token, role) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ROLE_KEY, role);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ROLE_KEY);
  },
};

function query(params) {
  const parts = Object.entries(params || {})
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? "?" + parts.join("&") : "";
}

async function request(method, path, { params, body, form, raw } = {}) {
  const language = i18n.global.locale.value === "en" ? "en" : "zh-CN";
  const headers = { Accept: "application/json", "Accept-Language": language };
  const token = session.token();
  if (token) headers.Authorization = "Bearer " + token;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch("/api/v1" + path + query(params), { method, headers, body: payload });
  } catch (e) {
    throw new ApiError(0, "network", String(e));
  }
  if (response.status === 401 && path !== "/auth/login") {
    session.clear();
    window.dispatchEvent(new CustomEvent("cz-logged-out"));
  }
  if (!response.ok) {
    if (response.status === 403 && response.headers.get("content-type")?.includes("json")) {
      const peek = await response.clone().json().catch(() => ({}));
      if (peek.error === "password_change_required") window.dispatchEvent(new CustomEvent("cz-password-change"));
    }
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = {};
    }
    throw new ApiError(response.status, data.error, data.message, data.problems, data);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const api = {
  get: (path, params) => request("GET", path, { params }),
  post: (path, body, params) => request("POST", path, { body: body ?? {}, params }),
  patch: (path, body) => request("PATCH", path, { body }),
  put: (path, body) => request("PUT", path, { body }),
  upload: (path, form, params) => request("POST", path, { form, params }),
  /** The answer itself (a file to save); a refusal throws ApiError with the server's reason, as every call. */
  file: (path, params) => request("GET", path, { params, raw: true }),
};

export async function login(username, password) {
  const result = await api.post("/auth/login", { username, password });
  session.save(result.access_token, result.role);
  return result;
}
