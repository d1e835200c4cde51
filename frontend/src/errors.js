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

export function errorText(error) {
  const t = i18n.global.t;
  if (notAvailable(error)) return t("error.notAvailable");
  const kind = KINDS.includes(error?.kind) ? error.kind : "other";
  const head = t(`error.kind.${kind}`);
  const detail = error?.message && error.message !== error.kind ? error.message : "";
  return detail ? `${head}: ${detail}` : head;
}
