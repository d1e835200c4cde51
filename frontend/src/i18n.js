// The office's two languages: Chinese first, English on request (the choice kept in localStorage).
import { createI18n } from "vue-i18n";
import zhCN from "./locales/zh-CN.json";
import en from "./locales/en.json";
import reformZhCN from "./locales/reform.zh-CN.json";
import reformEn from "./locales/reform.en.json";
import planningZhCN from "./locales/planning.zh-CN.json";
import planningEn from "./locales/planning.en.json";
// the ledger's words (account kinds, units, voucher and transfer statuses, voucher services), generated from the
// server's one table of them (changzhu.domain.refusals.TERMS) by tools/office_words.py: never edited here
import termsZhCN from "./locales/terms.zh-CN.json";
import termsEn from "./locales/terms.en.json";

const LANG_KEY = "cz.lang"; // "zh" or "en"

export function savedLocale() {
  return localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh-CN";
}

/** Messages of `extra` (a view's own file, e.g. reform.en.json) added into `base`, nested keys merged. */
function merged(base, extra) {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value && typeof value === "object" && typeof out[key] === "object" ? merged(out[key], value) : value;
  }
  return out;
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: false,
  missingWarn: false,
  fallbackWarn: false,
  messages: {
    "zh-CN": merged(merged(merged(zhCN, reformZhCN), planningZhCN), termsZhCN),
    en: merged(merged(merged(en, reformEn), planningEn), termsEn),
  },
});

/** The page's language as the browser reads it (<html lang>: the font stack of office.css, screen readers,
 * hyphenation): the office's own language, from the first page on (index.html says zh-CN whatever was saved). */
document.documentElement.lang = i18n.global.locale.value;

export function setLocale(locale) {
  i18n.global.locale.value = locale;
  localStorage.setItem(LANG_KEY, locale === "en" ? "en" : "zh");
  document.documentElement.lang = locale;
}

/** The zh or en field of an API object: `pick(obj, "label")` reads label_zh or label_en. */
export function pick(obj, field) {
  if (!obj) return "";
  const en = i18n.global.locale.value === "en";
  return (en ? obj[`${field}_en`] : obj[`${field}_zh`]) ?? obj[`${field}_zh`] ?? obj[`${field}_en`] ?? "";
}
