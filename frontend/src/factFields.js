// The form field of one rule input as GET /inputs describes it (type, unit, categories, labels in both languages):
// the facts dialog and the registration dialog both build their fields from the API, so an input a policy file
// declares appears in both without editing a view.
import { lineStart } from "./format.js";
import { pick } from "./i18n.js";

/** A FormDialog field for `spec` (one item of GET /inputs), labelled in the current language (`t`, `te`). */
export function factField(t, te, spec) {
  const unitKey = `facts.units.${spec.unit}`;
  // a field's name and its choices start their lines: capitalised in English ("Housing tenure", "Rented home"); the
  // API's labels are lower case, for use inside a sentence ("On record: rented home")
  // months, counts, ratios: no unit shown; a unit in the language's brackets ("家庭人均月收入（元/月）")
  const named = lineStart(pick(spec, "label"));
  const label = spec.unit && te(unitKey) ? t("common.withUnit", { label: named, unit: t(unitKey) }) : named;
  const base = { prop: spec.name, label };
  const options = spec.categories.map((c) => ({ value: c.code, label: lineStart(pick(c, "label")) }));
  if (spec.type === "bool") return { ...base, kind: "select", options: [{ value: true, label: t("common.yes") }, { value: false, label: t("common.no") }] };
  if (spec.type === "category") return { ...base, kind: "select", options };
  if (spec.type === "categories") return { ...base, kind: "select", multiple: true, options };
  if (spec.type === "date") return { ...base, kind: "date" };
  if (spec.type === "dates") return { ...base, kind: "dates", help: t("facts.datesHelp") };
  if (spec.type === "region") return { ...base, kind: "region" };
  if (["integer", "months"].includes(spec.type)) return { ...base, kind: "number", min: 0, precision: 0 };
  if (spec.type === "number") return { ...base, kind: "number", precision: 2 };
  return { ...base, maxlength: 80 };
}

/** The facts of a form's values that were given (empty strings and empty lists are not facts). */
export function givenFacts(values, names) {
  return Object.fromEntries(
    names.map((name) => [name, values[name]]).filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length)),
  );
}

/** A fact as it is on record, in words for the facts dialog ("已登记：本科"); a fact not on record is unknown.
 * `counted`: insurance months as the rules read them (the overview's counted_facts: {months, source}): counted from
 * the contribution records ("由缴费记录计算：36 个月", a month stated beside them not used), none for a person with
 * no previous place, else the stated fact as any other. */
export function recordedText(t, spec, value, counted = null) {
  const stated = value !== null && value !== undefined;
  if (counted?.source === "contributions") {
    if (stated && value !== counted.months) return t("facts.fromContributionsNotStated", { n: counted.months, stated: value }, counted.months);
    return t("facts.fromContributions", counted.months);
  }
  if (counted?.source === "no_prior_place") return t("facts.noPriorPlace");
  if (!stated) return t("facts.recordedUnknown");
  const label = (code) => {
    const category = spec.categories.find((c) => c.code === code);
    return category ? pick(category, "label") : String(code);
  };
  let shown = String(value);
  if (typeof value === "boolean") shown = value ? t("common.yes") : t("common.no");
  else if (Array.isArray(value)) shown = value.length ? value.map(label).join(t("entitlement.listSeparator")) : t("facts.recordedNone");
  else if (spec.categories.length) shown = label(value);
  return t("facts.recorded", { value: shown });
}
