// 跨省通办 hand-overs as the office shows them: a message's state as a tag, and what the other province's instance
// answered on the last attempt in words (never the raw HTTP answer); the question asked before a hand-over or a
// resolution.
import { ElMessageBox } from "element-plus";

export const STATES = ["pending", "delivered", "reversed", "disputed"];

const TAGS = { pending: "warning", delivered: "success", reversed: "info", disputed: "danger" };

/** The tag colour of a message state. */
export function stateTagType(state) {
  return TAGS[state] || "info";
}

/** What happened to a message not delivered, in the office's language: the peer's refusal in words (both
 * instances run this software, so the list carries it in Chinese and English), that it answered with an error it
 * did not explain or explained in words no code names (its words are then the detail, peerOwnWords), or that it
 * was not reached; "" when there is nothing to say. */
export function peerAnswerWords(t, row, locale) {
  const answer = row.peer_answer;
  if (!answer) return "";
  if (answer.http_status === null || answer.http_status === undefined) {
    return t("handovers.answer.unreached", row.attempts);
  }
  const text = locale === "en" ? answer.text_en : answer.text_zh;
  if (text) return t("handovers.answer.refused", { text });
  if (answer.peer_text) return t("handovers.answer.untranslated", { status: answer.http_status });
  return t("handovers.answer.unexplained", { status: answer.http_status });
}

/** The peer's own words when it refused without a reason the office can translate (an error's text, as it sent it,
 * often English): the detail under peerAnswerWords, labelled as the other system's; "" otherwise. */
export function peerOwnWords(t, row) {
  const own = row?.peer_answer?.peer_text;
  return own ? t("handovers.answer.own", { text: own }) : "";
}

/** Ask `question` (titled `title`, confirmed by a button reading `yes`) before a hand-over or a resolution: true
 * when confirmed, false when cancelled. */
export async function confirmed(t, question, title, yes) {
  try {
    await ElMessageBox.confirm(question, title, { confirmButtonText: yes, cancelButtonText: t("form.cancel"), type: "warning" });
    return true;
  } catch {
    return false;
  }
}
