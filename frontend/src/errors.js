// An API failure as one translated sentence: what happened, then the server's own words.
import { i18n } from "./i18n.js";

const KINDS = [
  "not_authenticated",
  "forbidden",
  "not_found",
  "conflict",
  "too_many_requests",
  "invalid_request",
  "unavailable",
  "timeout",
  "network",
  "internal",
];

/** True when the server has no such endpoint yet (the route is missing, not the resource). */
export function notAvailable(error) {
  return (error?.status === 404 && error?.message === "Not Found") || error?.status === 405;
}

/** A server message written "Chinese / English" in the user's language; a message in one language as it is. */
function inLanguage(message) {
  const cut = message.indexOf(" / ");
  if (cut < 0 || !/[\u4e00-\u9fff]/.test(message.slice(0, cut))) return message;
  return i18n.global.locale.value === "en" ? message.slice(cut + 3) : message.slice(0, cut);
}

export function errorText(error) {
  const t = i18n.global.t;
  if (notAvailable(error)) return t("error.notAvailable");
  const kind = KINDS.includes(error?.kind) ? error.kind : "other";
  const head = t(`error.kind.${kind}`);
  const detail = error?.message && error.message !== error.kind ? inLanguage(error.message) : "";
  return detail ? `${head}: ${detail}` : head;
}
