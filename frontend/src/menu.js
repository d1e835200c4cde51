// What each role finds in the menu (the office is the one UI: the older /app/* pages redirect to its views).
export const MENU = [
  { key: "residents", to: "/residents", roles: ["caseworker", "administrator"] },
  { key: "applications", to: "/applications", roles: ["caseworker", "administrator"] },
  { key: "releases", to: "/releases", roles: ["caseworker", "administrator"] },
  // administrators open it at /handovers (linked from a moved-out resident's page): their bar is full at 1366 px
  { key: "handovers", to: "/handovers", roles: ["caseworker"] },
  // administrators find it under their name (ACCOUNT_MENU): their bar is full at 1366 px
  { key: "approvals", to: "/approvals", roles: ["caseworker"] },
  { key: "quotas", to: "/quotas", roles: ["caseworker", "administrator", "planner"] },
  { key: "map", to: "/map", roles: ["planner", "fiscal_officer", "administrator", "caseworker"] },
  { key: "services", to: "/services", roles: ["planner", "fiscal_officer", "administrator"] },
  { key: "siting", to: "/siting", roles: ["planner", "administrator"] },
  { key: "reforms", to: "/reforms/new", roles: ["planner", "fiscal_officer", "administrator"] },
  { key: "fiscalView", to: "/fiscal", roles: ["planner", "fiscal_officer", "administrator"] },
  { key: "me", to: "/me", roles: ["resident"] },
  { key: "myApplications", to: "/me/applications", roles: ["resident"] },
  { key: "statement", to: "/me/statement", roles: ["resident"] },
  { key: "users", to: "/admin/users", roles: ["administrator"] },
  { key: "audit", to: "/admin/audit", roles: ["administrator"] },
  { key: "uploads", to: "/admin/uploads", roles: ["caseworker", "planner", "administrator"] },
];

// Views an administrator opens from the menu under their name (and the phone's drawer), the bar having no room left.
export const ACCOUNT_MENU = [{ key: "approvals", to: "/approvals", roles: ["administrator"] }];

/** The first view a role lands on after logging in. */
export function homeFor(role) {
  const first = MENU.find((item) => item.roles.includes(role));
  return first ? first.to : "/welcome";
}
