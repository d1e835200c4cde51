// The logged-in account (GET /auth/me), shared by the shell and the views.
import { reactive } from "vue";
import { api, session } from "./api.js";

export const who = reactive({
  username: "",
  role: session.role() || "",
  jurisdictions: [],
  person_key: null,
  must_change_password: false,
});

export async function loadWho() {
  const me = await api.get("/auth/me");
  Object.assign(who, me);
  return me;
}

export function forgetWho() {
  Object.assign(who, { username: "", role: "", jurisdictions: [], person_key: null, must_change_password: false });
  session.clear();
}

/** Whether the account's jurisdictions contain region `code` (a province covers its cities and counties), as the
 * server decides it (principal.scope_covers): the office offers only the writes the server will take. */
export function covers(code) {
  return Boolean(code) && (who.jurisdictions || []).some((scope) => {
    if (scope === "000000") return true;
    if (scope.endsWith("0000")) return code.slice(0, 2) === scope.slice(0, 2);
    if (scope.endsWith("00")) return code.slice(0, 4) === scope.slice(0, 4);
    return code === scope;
  });
}

// the roles that read aggregates such as planning gaps (the API's ANALYSTS, changzhu/api/aggregates.py)
const ANALYSTS = ["planner", "fiscal_officer", "administrator"];

/** Whether the account may read aggregates (planning gaps): the office does not ask the API what it will refuse. */
export function readsAggregates() {
  return ANALYSTS.includes(who.role);
}
