// How values read on screen: places by name with their code, money in yuan, months as YYYY-MM.
import { i18n, pick } from "./i18n.js";

const isEn = () => i18n.global.locale.value === "en";

/** "广州市（440100）" / "Guangzhou (440100)" from a name (zh, optionally en) and a code, the brackets of the language
 * read (common.withCode; the server's `changzhu.domain.lang.with_code` does the same); the code alone when no name
 * came. */
export function place(code, nameZh, nameEn) {
  if (!code) return "—";
  const name = isEn() ? nameEn || nameZh : nameZh;
  return name ? i18n.global.t("common.withCode", { name, code }) : code;
}

/** A place as a resident reads it: the name alone (the office keeps the codes, `place`); the code only where the
 * region table has no name for it. */
export function placeName(code, nameZh, nameEn) {
  if (!code) return "—";
  return (isEn() ? nameEn || nameZh : nameZh) || code;
}

/** The true minus sign (U+2212) for a negative figure on screen, as the reports and the docs write it ("−1.2"); the
 * server's `changzhu.figures.minus` does the same for the report, the terminal and the charts. */
export const MINUS = "\u2212";
// a hyphen-minus in front of a figure where it is a sign: never between figures (2020-11-01, 6-11) nor in a word
const SIGN = /(?<![\w.\-\u2212])-(?=\.?\d)/g;

/** `text` with each negative figure's sign as the true minus: "-1.2" → "−1.2". */
export function minus(text) {
  return text == null ? "" : String(text).replace(SIGN, MINUS);
}

/** The one way a number reads on screen: in the reader's locale (`toLocaleString` with `options`), negative with the
 * true minus; `locale` overrides the language's ("en-US" for coordinates); "—" for no figure (never 0). */
export function figure(value, options, locale) {
  if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) return "—";
  return minus(Number(value).toLocaleString(locale || (isEn() ? "en-US" : "zh-CN"), options));
}

export function yuan(fen) {
  if (fen === null || fen === undefined) return "—";
  return figure(fen / 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function period(yyyymm) {
  if (!yyyymm) return "—";
  const text = String(yyyymm);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}`;
}

export function day(value) {
  return value ? String(value).slice(0, 10) : "—";
}

/** A server timestamp in the office's local time with its zone: "2026-12-06 09:40:00 (UTC+8)". The server writes
 * UTC with its offset (ISO 8601); a text without an offset is shown as it came, since its zone is not known. */
export function dateTime(value) {
  if (!value) return "—";
  const text = String(value);
  const at = new Date(text);
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(text) || Number.isNaN(at.getTime())) return text.replace("T", " ").slice(0, 19);
  const pad = (n) => String(n).padStart(2, "0");
  const offset = -at.getTimezoneOffset(); // minutes east of UTC, at that moment (summer time where there is one)
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  const zone = `UTC${offset < 0 ? "-" : "+"}${hours}${minutes ? `:${pad(minutes)}` : ""}`;
  const dayPart = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `${dayPart} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())} (${zone})`;
}

/** A fresh idempotency key for one write (a retry of the same dialog sends the same). */
export function newKey(prefix) {
  const random = crypto.getRandomValues(new Uint32Array(3)).join("");
  return `${prefix}-${random}`.slice(0, 60);
}

/** Today's date where the user is (YYYY-MM-DD); toISOString would give the UTC date, yesterday before 08:00 in China. */
export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A date box's example: today's date in the two ways it may be typed ({ iso: "2026-12-03", slash: "2026/12/3" }),
 * so the example is a date of this year, not one years past. */
/** This month as a month field takes it typed (its format, YYYY-MM), for the field's placeholder: "2026-06". */
export function monthExample() {
  return today().slice(0, 7);
}

export function dateExample() {
  const now = new Date();
  return { iso: today(), slash: `${now.getFullYear()}/${now.getMonth() + 1}/${now.getDate()}` };
}

/** One event of the residence history: "迁移：成都市 (510100) → 广州市 (440100)"; a registration where one's hukou
 * is (from the hukou place to the same place) names the place once, not "成都市 → 成都市". */
/** One residence event in words; `named` writes a place (`place` with its code for the office, `placeName` for
 * the resident). */
export function historyLine(event, named = place) {
  const t = i18n.global.t;
  const kind = t(`historyKind.${event.kind}`, event.kind);
  const to = named(event.to_region, event.to_region_name, event.to_region_name_en);
  if (!event.from_region || event.from_region === event.to_region) return t("history.to", { kind, to });
  return t("history.fromTo", { kind, from: named(event.from_region, event.from_region_name, event.from_region_name_en), to });
}

/** The facts a points scheme's unassessed items need, in the current language: the scheme's own list (the
 * entitlements answer it) or, where only the items carry them (a resident's page, a pre-check), theirs together. */
function pointsNeeds(scheme) {
  if (Array.isArray(scheme.needs) && scheme.needs.every((n) => typeof n === "string")) return scheme.needs;
  return [...new Set((scheme.items || []).flatMap((item) => pick(item, "needs") || []))];
}

/** One points item: its points when assessed, else the range it could give (null: unbounded that way): 0–30, ≥12,
 * ≤0, or ? when open both ways. An unknown bound is open, never 0 (the resident's page and the pre-check alike). */
export function pointsRange(item) {
  if (item.points !== null && item.points !== undefined) return item.points;
  const low = item.low ?? null;
  const high = item.high ?? null;
  if (low === null && high === null) return "?";
  if (low === null) return `≤${high}`;
  return high === null ? `≥${low}` : `${low}–${high}`;
}

/** A points total as one line: the total when every item is assessed; otherwise what the unassessed items leave
 * open (at least `low`, at most `high`, or `low`–`high`) and the facts they need. A null bound is unknown (the
 * missing facts could add, or take away, any number of points): never shown as 0 nor as the partial sum. */
export function pointsTotal(scheme) {
  const t = i18n.global.t;
  const line = scheme.line ?? "—";
  const known = (v) => v !== null && v !== undefined;
  const { low, high } = scheme;
  if (!("low" in scheme) && !("high" in scheme)) return t("points.total", { total: scheme.total ?? "—", line }); // a total only
  if (known(low) && known(high) && low === high) return t("points.total", { total: low, line });
  let text = t("points.totalUnknown", { line });
  if (known(low) && known(high)) text = t("points.totalRange", { low, high, line });
  else if (known(low)) text = t("points.totalAtLeast", { low, line });
  else if (known(high)) text = t("points.totalAtMost", { high, line });
  const needs = pointsNeeds(scheme);
  return needs.length ? t("points.withNeeds", { text, facts: needs.join(t("entitlement.listSeparator")) }) : text;
}

/** A label that starts a line, its first letter capitalised: the API's English labels are lower case, to be used
 * inside a sentence too ("basic medical insurance where one lives"); Chinese is unchanged. A mark before the words
 * ("✓ hukou is elsewhere", an explanation's condition line) is kept and the word after it capitalised. */
export function lineStart(text) {
  const shown = text == null ? "" : String(text);
  return shown.replace(/^([✓✗?·•\s]*)([a-z])/, (_all, mark, first) => mark + first.toUpperCase());
}

/** A name used inside a sentence, its first letter lower case ("Release the pension insurance record …"): the office's
 * own English names start lines ("Pension insurance"); an acronym ("CT") or Chinese is unchanged. */
export function inSentence(text) {
  const shown = text == null ? "" : String(text);
  return shown.replace(/^([A-Z])(?=[a-z])/, (first) => first.toLowerCase());
}
