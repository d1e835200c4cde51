// Why a hospital bill settled directly (医疗结算) was split as it was, in words, from the numbers the server computed
// the split from and stored with it (`why` of GET .../overview's medical_claims, or the settlement's own answer):
// nothing is recomputed here. A bill settled before those numbers were stored has no `why`: nothing is said of it.
import { yuan } from "./format.js";

/** The reason the fund paid nothing or less than its rate ("under the deductible of 1,000.00 元"), or "" when nothing
 * limited it (or the reason is not known). `mine`: the resident's own page, in plain words. */
export function fundWhy(t, why, mine = false) {
  const limit = why?.fund_limited_by;
  if (!limit) return "";
  const words = mine ? "me.claims.reason" : "medical.why";
  const key = limit === "cap" && !why.cap_left_fen ? "capReached" : limit;
  return t(`${words}.${key}`, {
    eligible: yuan(why.eligible_fen),
    deductible: yuan(why.deductible_fen),
    cap: yuan(why.cap_fen),
    left: yuan(why.cap_left_fen),
  });
}

/** The office's message once a bill is settled: the split in 元, then why the fund paid what it paid (its basis when
 * nothing limited it). `settled` is POST /medical/settlements' answer. */
export function settledMessage(t, settled) {
  const split = t("medical.settled", { fund: yuan(settled.fund_fen), self: yuan(settled.self_fen) });
  const why = fundWhy(t, settled);
  const basis = why || (settled.fund_limited_by === null && settled.fund_fen > 0
    ? t("medical.basis", { eligible: yuan(settled.eligible_fen), deductible: yuan(settled.deductible_fen), rate: settled.rate_permille / 10 })
    : "");
  return basis ? `${split}${t("medical.sep")}${basis}` : split;
}
