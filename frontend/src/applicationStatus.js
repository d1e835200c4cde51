// An application's status by its meaning, for its tag's colour: refused red, granted green, waiting on the office
// amber, at rest grey. One mapping for every page that shows an application's status.
const TAG = {
  submitted: "info",
  in_review: "warning",
  approved: "success",
  rejected: "danger",
  appealed: "warning",
  upheld: "danger", // the rejection upheld
  overturned: "success", // the rejection overturned: approved
  closed: "info",
};

/** The Element Plus tag type of an application status ("info" for one this office does not know). */
export function statusTagType(status) {
  return TAG[status] || "info";
}
