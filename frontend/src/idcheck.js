// GB 11643 citizen identity numbers: 17 digits and a check character (ISO 7064 MOD 11-2).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** What is wrong with an identity number, for the message that says it: "length" (not 18 characters), "character"
 * (18, but not 17 digits and a digit or X), "check" (the check character does not match the 17 digits: one of them
 * is mistyped), or "" when it is valid. */
export function idNumberProblem(text) {
  const value = String(text || "").toUpperCase();
  if (value.length !== 18) return "length";
  if (!/^\d{17}[\dX]$/.test(value)) return "character";
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return CHECK[sum % 11] === value[17] ? "" : "check";
}
