// An API failure as one translated sentence: what happened, then the server's own words (the API writes its
// `message` in the language the client asks for: api.js sends the office's language as Accept-Language).
import { i18n } from "./i18n.js";

const KINDS = [
  "not_authenticated",
  "forbidden",
  "not_found",
  "conflict",
  "too_many_requests",
  "invalid_request",
  "bad_request",
  "unavailable",
  "timeout",
  "network",
  "internal",
];

/** True when the server has no such endpoint yet (the route is missing, not the resource). */
export function notAvailable(error) {
  const noRoute = error?.data?.code === "no_such_path" || error?.message === "Not Found";
  return (error?.status === 404 && noRoute) || error?.status === 405;
}

/** A message written "Chinese / English" (by a server older than the coded errors) in the user's language; any
 * other message as it is. */
function inLanguage(message) {
  const cut = message.indexOf(" / ");
  if (cut < 0 || !/[\u4e00-\u9fff]/.test(message.slice(0, cut))) return message;
  return i18n.global.locale.value === "en" ? message.slice(cut + 3) : message.slice(0, cut);
}

export function errorText(error) {
  const t = i18n.global.t;
  if (notAvailable(error)) return t("error.notAvailable");
  const kind = KINDS.includes(error?.kind) ? error.kind : "other";
  const detail = error?.message && error.message !== error.kind ? inLanguage(error.message) : "";
  // before the server's own words, a head that does not say them again: a refusal beyond one's jurisdiction said
  // "outside your role or jurisdiction: … outside your jurisdiction" until 2026-12-04
  const short = `error.kindBeforeDetail.${kind}`;
  const head = detail && i18n.global.te(short) ? t(short) : t(`error.kind.${kind}`);
  return detail ? t("error.withDetail", { head, detail }) : head;
}
