// The caseworker's actions on one resident: each is the fields of its form and the public API call it makes.
import { ElMessageBox } from "element-plus";
import { api } from "./api.js";
import { inSentence, today } from "./format.js";

function yuanToFen(value) {
  return Math.round(Number(value) * 100);
}

/** Bill lines "item code amount" (one per line) as [{item_code, amount_fen}], or null when a line is unreadable. */
export function billItems(text) {
  const lines = String(text || "").split("\n").map((line) => line.trim()).filter(Boolean);
  const items = lines.map((line) => {
    const match = line.match(/^(\S+)\s+(\d+(?:\.\d{1,2})?)$/);
    return match ? { item_code: match[1], amount_fen: yuanToFen(match[2]) } : null;
  });
  return items.length && items.every((item) => item && item.amount_fen > 0) ? items : null;
}

/** Every action for the person `record` (the overview's record), labelled in the current language by `t`.
 * `insuredRegion`: where the medical insurance records say the person is insured (the overview's
 * medical_insured_region; null: no record), the settlement's 参保地 — never the place of residence, which can be
 * another place's fund: without a record the field is left empty for the caseworker to ask. */
export function residentActions(t, record, insuredRegion = null) {
  const key = record.person_key;
  const here = record.residence_region;
  const proofOptions = ["housing", "employment", "study"].map((v) => ({ value: v, label: t(`proof.${v}`) }));
  const schemes = (list) => list.map((v) => ({ value: v, label: t(`scheme.${v}`) }));
  return {
    move: {
      fields: [
        { prop: "to_region", label: t("actions.move.to"), kind: "region", required: true },
        { prop: "moved_on", label: t("actions.move.on"), kind: "date", required: true },
        { prop: "proof_kind", label: t("register.proofKind"), kind: "select", required: true, options: proofOptions },
        { prop: "proof_ref", label: t("register.proofRef"), required: true, maxlength: 60 },
      ],
      initial: { moved_on: today() },
      submit: (v, once) => api.post(`/residents/${key}/moves`, { ...v, idempotency_key: once }),
    },
    permit: {
      fields: [{ prop: "issued_on", label: t("actions.permit.on"), kind: "date", required: true }],
      initial: { issued_on: today() },
      submit: (v, once) => api.post(`/residents/${key}/permits`, { ...v, idempotency_key: once }),
    },
    contributions: {
      fields: [
        { prop: "scheme", label: t("actions.contributions.scheme"), kind: "select", required: true, options: schemes(["pension", "medical"]) },
        { prop: "region", label: t("actions.contributions.region"), kind: "region", required: true },
        { prop: "from_period", label: t("actions.contributions.from"), kind: "month", required: true },
        { prop: "months", label: t("actions.contributions.months"), kind: "number", required: true, min: 1, max: 600 },
        { prop: "amount_yuan", label: t("actions.contributions.base"), kind: "number", required: true, min: 1, max: 1000000, precision: 2 },
      ],
      initial: { region: here, months: 6 },
      submit: (v, once) =>
        api.post(`/residents/${key}/contributions`, { ...v, from_period: Number(v.from_period), idempotency_key: once }),
    },
    transfer: {
      fields: [
        { prop: "scheme", label: t("actions.transfer.scheme"), kind: "select", required: true, options: schemes(["pension", "medical", "unemployment", "housing_wait"]) },
        { prop: "from_region", label: t("actions.transfer.from"), kind: "region", required: true },
        { prop: "to_region", label: t("actions.transfer.to"), kind: "region", required: true },
        { prop: "applied_on", label: t("actions.transfer.on"), kind: "date", required: true },
      ],
      initial: { to_region: here, from_region: record.prior_region || record.hukou_region, applied_on: today() },
      submit: (v, once) => api.post("/transfers", { ...v, person_key: key, transfer_no: once }),
    },
    voucher: {
      fields: [
        { prop: "issuer_region", label: t("actions.voucher.issuer"), kind: "region", required: true },
        { prop: "service", label: t("actions.voucher.service"), kind: "select", required: true, options: ["vocational_training", "childcare", "elderly_care", "health_checkup"].map((v) => ({ value: v, label: t(`voucherService.${v}`) })) },
        { prop: "value_yuan", label: t("actions.voucher.value"), kind: "number", required: true, min: 1, max: 100000, precision: 2 },
        { prop: "issued_on", label: t("actions.voucher.issued"), kind: "date", required: true },
        { prop: "expires_on", label: t("actions.voucher.expires"), kind: "date", required: true },
      ],
      initial: { issuer_region: here, issued_on: today() },
      submit: (v, once) =>
        api.post("/vouchers", {
          holder_key: key,
          issuer_region: v.issuer_region,
          service: v.service,
          value_fen: yuanToFen(v.value_yuan),
          issued_on: v.issued_on,
          expires_on: v.expires_on,
          idempotency_key: once,
        }),
    },
    settlement: {
      fields: [
        // no medical insurance record here: asked, not guessed (the server refuses a fund she is not insured by)
        { prop: "insured_region", label: t("actions.settlement.insured"), kind: "region", required: true, ...(insuredRegion ? {} : { help: t("actions.settlement.insuredAsk") }) },
        { prop: "treatment_region", label: t("actions.settlement.treatment"), kind: "region", required: true },
        { prop: "hospital", label: t("actions.settlement.hospital"), required: true, maxlength: 80 },
        { prop: "treated_on", label: t("actions.settlement.on"), kind: "date", required: true },
        {
          prop: "items",
          label: t("actions.settlement.items"),
          kind: "textarea",
          required: true,
          help: t("actions.settlement.itemsHelp"),
          validator: (_rule, value, done) => done(value && !billItems(value) ? new Error(t("actions.settlement.itemsInvalid")) : undefined),
        },
      ],
      initial: { treatment_region: here, treated_on: today(), ...(insuredRegion ? { insured_region: insuredRegion } : {}) },
      submit: (v, once) =>
        api.post("/medical/settlements", {
          person_key: key,
          insured_region: v.insured_region,
          treatment_region: v.treatment_region,
          hospital: v.hospital,
          treated_on: v.treated_on,
          items: billItems(v.items),
          idempotency_key: once,
        }),
    },
    household: {
      fields: [
        {
          prop: "relation",
          label: t("actions.household.relation"),
          kind: "select",
          required: true,
          options: ["parent", "child"].map((v) => ({ value: v, label: t(`actions.household.is.${v}`) })),
        },
        { prop: "other", label: t("actions.household.other"), kind: "person", required: true, exclude: key, help: t("actions.household.otherHelp") },
      ],
      initial: { relation: "parent" },
      submit: (v, once) =>
        api.post("/households/links", {
          parent_key: v.relation === "parent" ? key : v.other,
          child_key: v.relation === "parent" ? v.other : key,
          idempotency_key: once,
        }),
    },
    login: {
      fields: [{ prop: "username", label: t("actions.login.username"), help: t("actions.login.usernameHelp"), maxlength: 64, pattern: /^\S{3,}$/, patternMessage: t("actions.login.usernameInvalid") }],
      initial: {},
      submit: (v) => api.post(`/residents/${key}/login`, v.username ? { username: v.username } : {}),
    },
  };
}

/** The fields of a voucher redemption and its call. */
export function redeemAction(t, voucherNo, region) {
  return {
    fields: [
      { prop: "provider", label: t("actions.redeem.provider"), required: true, maxlength: 80 },
      { prop: "provider_region", label: t("actions.redeem.region"), kind: "region", required: true },
      { prop: "redeemed_on", label: t("actions.redeem.on"), kind: "date", required: true },
    ],
    initial: { provider_region: region, redeemed_on: today() },
    submit: (v, once) => api.post(`/vouchers/${encodeURIComponent(voucherNo)}/redeem`, { ...v, idempotency_key: once }),
  };
}

/** The old place releases an applied transfer (its fund pays), once the caseworker confirms: true when released,
 * false when cancelled (an API error is thrown). `words` names the scheme and both places for the question; `held`
 * is what the old place holds (0: the release moves nothing and closes the application, and the question says so). */
export async function releaseTransfer(t, transferNo, words, held) {
  const nothing = held === 0;
  try {
    const sentence = { ...words, scheme: inSentence(words.scheme) }; // the scheme inside the question, not starting it
    await ElMessageBox.confirm(t(nothing ? "resident.closeConfirm" : "resident.completeConfirm", sentence), transferLabel(t, held), {
      confirmButtonText: t("form.confirm"),
      cancelButtonText: t("form.cancel"),
      type: "warning",
    });
  } catch {
    return false; // cancelled
  }
  await api.post(`/transfers/${encodeURIComponent(transferNo)}/complete`, {});
  return true;
}

/** The release button's words: "release and complete", or "close" when the old place holds nothing to move. */
export function transferLabel(t, held) {
  return t(held === 0 ? "resident.closeTransfer" : "resident.completeTransfer");
}
