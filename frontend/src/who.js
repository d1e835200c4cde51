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
