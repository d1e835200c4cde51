// What an analyst types into the reform builder, read as the parameter's value and date, or refused with the reason:
// never a wrong value saved ("5%" for a share, "0,05", "800元", a negative amount, a date the picker cannot read).
// Pure functions: each answer is { value } or { error, params } (an error key under rf.input, and its values).

// the units whose values cannot be negative (as changzhu.parameters.model.NON_NEGATIVE_UNITS), and the shares
const NON_NEGATIVE = new Set(["months", "years", "yuan", "count", "coefficient", "per_thousand", "km", "square_metres", "people"]);
const SHARE = "ratio";
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// 2026-06-01, 2026/6/1, 2026.6.1, 20260601, 2026年6月1日 (the forms the office's tables read)
const DATE_FORMS = [/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/, /^(\d{4})\u5e74(\d{1,2})\u6708(\d{1,2})\u65e5?$/];

/** A number typed for a parameter of `unit`: { value } or { error } (empty, percent, comma, unit words, sign, range). */
export function readNumber(text, unit) {
  const raw = String(text ?? "").trim();
  if (raw === "") return { error: "empty" };
  if (/%$|\uff05$/.test(raw)) {
    return unit === SHARE ? { error: "percentForShare", params: { share: shareOf(raw) } } : { error: "percent" };
  }
  if (/^[+-]?\d*,\d+$/.test(raw) && !/^[+-]?\d{1,3}(,\d{3})+$/.test(raw)) return { error: "decimalComma", params: { typed: raw, fixed: raw.replace(",", ".") } };
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw)) return { error: "thousands", params: { typed: raw, fixed: raw.replaceAll(",", "") } };
  if (!NUMBER.test(raw)) return /^[+-]?\d/.test(raw) ? { error: "unitWords" } : { error: "notNumber" };
  const value = Number(raw);
  if (!Number.isFinite(value)) return { error: "notNumber" };
  if (value < 0 && (NON_NEGATIVE.has(unit) || unit === SHARE)) return { error: "negative" };
  if (unit === SHARE && value > 1) return value <= 100 ? { error: "shareAboveOne", params: { typed: raw, share: String(value / 100) } } : { error: "shareRange" };
  return { value };
}

/** "5%" as the share it means ("0.05"), for the message that says how to write it. */
function shareOf(raw) {
  const number = Number(raw.replace(/[%\uff05]$/, "").trim());
  return Number.isFinite(number) ? String(Math.round(number * 1e6) / 1e8) : "";
}

/** The value typed for a parameter whose value now is `current` (a switch gives true/false itself). */
export function readValue(input, unit, current) {
  if (typeof current === "boolean" || unit === "bool") return typeof input === "boolean" ? { value: input } : { error: "notYesNo" };
  return readNumber(input, unit);
}

/** An effective date as typed: { value: "YYYY-MM-DD" }, { value: null } when left empty, or { error }. */
export function readDate(text) {
  const raw = String(text ?? "").trim();
  if (raw === "") return { value: null };
  for (const form of DATE_FORMS) {
    const parts = raw.match(form);
    if (!parts) continue;
    const [year, month, day] = parts.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { error: "noSuchDay", params: { typed: raw } };
    return { value: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
  }
  return { error: "dateForm", params: { typed: raw } };
}
