// Dates typed as people write them, read as the office's files read them (src/changzhu/domain/dates.py):
// 2026-06-01, 2026-6-1, 2026/6/1, 2026.6.1, 2026年6月1日 or 20260601. The date picker itself reads only its own
// format (YYYY-MM-DD); anything else typed into it was dropped for today's date when the field was left, so a
// caseworker typing 2021/3/1 recorded a residence starting today.
const WRITTEN = /^(\d{4})\s*[-/.\u5e74]\s*(\d{1,2})\s*[-/.\u6708]\s*(\d{1,2})\s*\u65e5?$/; // 年 月 日 as escapes
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/** The ISO day ("2026-06-01") a typed word writes, or null (not a date, or no such day). */
export function writtenDate(word) {
  const found = WRITTEN.exec(word.trim()) || COMPACT.exec(word.trim());
  if (!found) return null;
  const [year, month, dayOfMonth] = found.slice(1).map(Number);
  const probe = new Date(Date.UTC(year, month - 1, dayOfMonth));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== dayOfMonth) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`;
}

/** A capture-phase listener (change, Enter) around a date picker: the typed text is rewritten as the ISO day
 * before the picker reads it; text that is no date (三月一日, 2021/2/30) empties the field, so the form asks for
 * the date instead of the picker putting today's in its place. */
export function readWrittenDate(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.value.trim()) return;
  const iso = writtenDate(input.value) ?? "";
  if (iso !== input.value) {
    input.value = iso;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
