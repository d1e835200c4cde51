// Which rules a decision was taken under, as a person reads it: the date whose rules applied and the date the
// newest parameter it used took effect. The policy version (a digest of the policy files) is for administrators,
// who compare it with the audit log's; it is offered as a tooltip to them only.
import { who } from "./who.js";

/** "Rules in force on {on}; the newest parameter used took effect on {since}" from a decision's date and the
 * parameters it cited (`{key: {value, since, source}}`); without parameters, the date alone. */
export function policyWords(t, on, parameters) {
  const dates = Object.values(parameters || {}).map((p) => p?.since).filter(Boolean).sort();
  const day = String(on || "").slice(0, 10);
  return dates.length ? t("applications.policyInForce", { on: day, since: dates[dates.length - 1] }) : t("applications.policyOn", { on: day });
}

/** The policy version as a tooltip for an administrator; nothing for anyone else. */
export function versionTip(t, version) {
  return who.role === "administrator" && version ? t("applications.policyVersion", { version }) : undefined;
}
