// Fails (exit 1) when the office shows a string that is not translated:
//  - a message key present in one language and not the other, or empty;
//  - a key used in the code (t("a.b"), t(`a.${x}`)) that no language defines;
//  - text written straight into a template (Chinese or English words outside {{ }}), or in a
//    user-facing attribute (label="...", placeholder="...", ...);
//  - Chinese characters anywhere in the code outside the message files;
//  - a Chinese message with an ASCII colon after Chinese text ("依据: "): Chinese takes the full-width "：";
//  - an English message counting in a plural noun ("{n} rows") with no singular form ("{n} row | {n} rows").
// Usage: node scripts/check-i18n.mjs [source folder, default src]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = process.argv[2] || new URL("../src", import.meta.url).pathname;
const LANGUAGES = ["zh-CN", "en"];
const SHOWN_ATTRIBUTES = [
  "label", "title", "placeholder", "content", "sub-title", "description", "alt", "aria-label", "text",
  "confirm-button-text", "cancel-button-text", "empty-text", "active-text", "inactive-text",
  "start-placeholder", "end-placeholder", "range-separator", "message", "tooltip",
];
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;
const problems = [];

function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function leaves(object, prefix = "") {
  return Object.entries(object).flatMap(([key, value]) =>
    value && typeof value === "object" ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

// each language's messages: locales/<lang>.json and any view's own locales/<part>.<lang>.json
const messageFiles = (lang) => readdirSync(join(root, "locales")).filter((name) => name === `${lang}.json` || name.endsWith(`.${lang}.json`));
const messages = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    new Map(messageFiles(lang).flatMap((name) => leaves(JSON.parse(readFileSync(join(root, "locales", name), "utf8"))))),
  ]),
);
for (const lang of LANGUAGES) {
  for (const [key, value] of messages[lang]) {
    if (typeof value !== "string" || value.trim() === "") problems.push(`locales/${lang}.json: ${key} is empty`);
    for (const other of LANGUAGES) {
      if (other !== lang && !messages[other].has(key)) problems.push(`locales/${other}.json: missing ${key} (present in ${lang})`);
    }
  }
}
// "依据: …": after Chinese text (or a Chinese bracket or quote) the colon is the full-width "："
const ASCII_COLON_AFTER_CJK = new RegExp(`${CJK.source}\\s*:`);
for (const [key, value] of messages["zh-CN"]) {
  if (typeof value === "string" && ASCII_COLON_AFTER_CJK.test(value)) {
    problems.push(`locales/zh-CN: ${key} has an ASCII colon after Chinese text (use "："): ${JSON.stringify(value)}`);
  }
}
// "{rows} rows", "{n} provinces gain": a count before a plural noun needs vue-i18n's "one | other" forms
const COUNTED = /\{\w+\} (?!is\b|was\b|has\b|does\b)[a-z]+s\b/;
for (const [key, value] of messages.en) {
  if (typeof value === "string" && COUNTED.test(value) && !value.includes("|")) {
    problems.push(`locales/en: ${key} counts without a singular form: ${JSON.stringify(value)}`);
  }
}
const known = new Set(LANGUAGES.flatMap((lang) => [...messages[lang].keys()]));
const knownPrefixes = new Set([...known].flatMap((key) => key.split(".").map((_, i, parts) => parts.slice(0, i).join(".") + ".")));

function lineOf(text, index) {
  return text.slice(0, index).split("\n").length;
}

function checkKeys(file, text) {
  for (const match of text.matchAll(/\bt\(\s*(["'])([\w.-]+)\1/g)) {
    if (!known.has(match[2])) problems.push(`${file}:${lineOf(text, match.index)}: key ${match[2]} is in no language`);
  }
  for (const match of text.matchAll(/\bt\(\s*`([\w.-]*)\$\{/g)) {
    const prefix = match[1];
    if (prefix && !knownPrefixes.has(prefix)) problems.push(`${file}:${lineOf(text, match.index)}: no key starts with ${prefix}`);
  }
}

function checkTemplate(file, source) {
  const start = source.indexOf("<template>");
  const end = source.lastIndexOf("</template>");
  if (start < 0 || end < 0) return;
  const blank = (part) => part.replace(/[^\n]/g, " ");
  // the template with comments blanked, positions kept so line numbers stay right
  const template = " ".repeat(start) + source.slice(start, end).replace(/<!--[\s\S]*?-->/g, blank);
  // text outside the tags (attribute values may hold ">" in arrow functions), with {{ expressions }} removed
  const TAG = /<\/?[\w-]+(?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*\/?>/g;
  const text = template.replace(TAG, blank).replace(/\{\{[\s\S]*?\}\}/g, blank);
  for (const match of text.matchAll(/\S[^\n]*/g)) {
    const shown = match[0].trim();
    if (/[A-Za-z]{2,}/.test(shown) || CJK.test(shown)) {
      problems.push(`${file}:${lineOf(source, match.index)}: text in the template: ${JSON.stringify(shown)}`);
    }
  }
  for (const match of template.matchAll(/\s([\w-]+)="([^"]*)"/g)) {
    const [, name, value] = match;
    if (SHOWN_ATTRIBUTES.includes(name) && (/[A-Za-z]{2,}/.test(value) || CJK.test(value))) {
      problems.push(`${file}:${lineOf(source, match.index)}: attribute ${name}="${value}" is not translated`);
    }
  }
}

for (const path of files(root)) {
  const file = relative(root, path);
  if (file.startsWith("locales")) continue;
  if (!/\.(vue|js|mjs)$/.test(path)) continue;
  const text = readFileSync(path, "utf8");
  checkKeys(file, text);
  if (path.endsWith(".vue")) checkTemplate(file, text);
  const code = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "));
  const cjk = code.search(CJK);
  if (cjk >= 0) problems.push(`${file}:${lineOf(code, cjk)}: Chinese text outside the message files`);
}

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} untranslated string(s)`);
  process.exit(1);
}
console.log(`i18n: ${known.size} keys in ${LANGUAGES.join(" and ")}, every template translated`);
