// How reform results read on screen: services, measures and groups by name, counts and yuan with intervals.
import { i18n, pick } from "./i18n.js";
import { api } from "./api.js";
import { dateTime, figure, minus } from "./format.js";

const t = (...args) => i18n.global.t(...args);
const te = (key) => i18n.global.te(key);
const isEn = () => i18n.global.locale.value === "en";

/** A service's (or a parameter section's) name; the code only when no name is known. */
export function serviceName(code) {
  return te(`rf.service.${code}`) ? t(`rf.service.${code}`) : code;
}

export function measureName(code) {
  return te(`rf.measure.${code}`) ? t(`rf.measure.${code}`) : code;
}

/** A result row's group by name: provinces, prefectures and counties by their name, deciles and age bands spelt out. */
export function groupName(row, regionNames) {
  if (row.dimension === "province" || row.dimension === "prefecture" || row.dimension === "county") {
    return (isEn() && regionNames?.[row.group]) || row.group_label || row.group;
  }
  if (row.dimension === "income_decile") return t("rf.group.decile", { n: Number(String(row.group).replace(/\D/g, "")) });
  if (row.dimension === "age_band") return t("rf.group.age", { band: row.group });
  return te(`rf.group.${row.group}`) ? t(`rf.group.${row.group}`) : row.group_label || row.group;
}

/** A whole number in the reader's language ("—" for unknown: never 0). */
export function whole(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return figure(Math.round(value));
}

export function decimal(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return figure(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function percent(share, digits = 1) {
  if (share === null || share === undefined) return "—";
  return minus(`${(share * 100).toFixed(digits)}%`);
}

/** "low – high" of a row's 90% interval. */
export function interval(row) {
  return row.low === null || row.low === undefined ? "—" : `${whole(row.low)} – ${whole(row.high)}`;
}

/** A run's sample as the analyst reads it: the share of the residents and, once done, the persons sampled
 * ("0.0002%（2,812 人）"); "—" before either is known. */
export function runSample(run) {
  const share = run.summary?.sample ?? run.settings?.sample;
  if (!share) return "—";
  const percentText = `${(share * 100).toFixed(4)}%`;
  const persons = run.summary?.sampled_persons;
  return persons ? t("rf.run.sampleSize", { percent: percentText, persons: whole(persons) }) : percentText;
}

/** A run as the analyst knows it, never by its id (kept for URLs): the reform's title in the page's language (a
 * reform without one: its description or the parameters it changes, in words, from the API), when
 * it was started (with the time zone) and its sample. */
export function runLabel(run) {
  return `${pick(run, "title") || run.title} · ${dateTime(run.created_at)} · ${t("rf.run.sample")} ${runSample(run)}`;
}

/** The file name a Content-Disposition header gives (RFC 6266: `filename*` in UTF-8 first, else `filename`);
 * null where it gives none. */
export function dispositionName(header) {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* a malformed name: the plain one below */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header) || /filename\s*=\s*([^;]+)/i.exec(header);
  return plain ? plain[1].trim() : null;
}

/** Save what `GET /api/v1{path}` answers as a file (the token goes in the header, never in the URL), named as the
 * server names it (a run's file by its reform's title, year and start time: docs/api.md), else `filename`; a
 * refusal throws the API's error with the server's reason in the office's language. */
export async function download(path, params, filename) {
  const response = await api.file(path, params);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = dispositionName(response.headers.get("content-disposition")) || filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** Every item of a paged listing (pages of 500). */
export async function everyItem(get, path, params) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await get(path, { ...params, limit: 500, offset });
    items.push(...page.items);
    if (items.length >= page.total || !page.items.length) return items;
  }
}
