// The office's views under /office/; every view but the login needs a token.
import { createRouter, createWebHistory } from "vue-router";
import { session } from "./api.js";
import { homeFor } from "./menu.js";
import { who } from "./who.js";

const routes = [
  { path: "/login", component: () => import("./views/LoginView.vue"), meta: { public: true } },
  { path: "/", redirect: () => homeFor(session.role()) },
  { path: "/welcome", component: () => import("./views/WelcomeView.vue") },
  { path: "/password", component: () => import("./views/PasswordView.vue") },
  { path: "/residents", component: () => import("./views/ResidentsView.vue") },
  { path: "/residents/:key", component: () => import("./views/ResidentView.vue") },
  { path: "/applications", component: () => import("./views/ApplicationsView.vue") },
  { path: "/applications/:id", component: () => import("./views/ApplicationView.vue") },
  { path: "/releases", component: () => import("./views/ReleasesView.vue") },
  { path: "/handovers", component: () => import("./views/HandoversView.vue") },
  { path: "/approvals", component: () => import("./views/ApprovalsView.vue") },
  { path: "/quotas", component: () => import("./views/QuotasView.vue") },
  { path: "/me", component: () => import("./views/MeView.vue") },
  { path: "/me/applications", component: () => import("./views/ApplicationsView.vue"), props: { mine: true } },
  { path: "/me/statement", component: () => import("./views/StatementView.vue") },
  { path: "/admin/users", component: () => import("./views/UsersView.vue") },
  { path: "/admin/audit", component: () => import("./views/AuditView.vue") },
  { path: "/admin/uploads", component: () => import("./views/UploadsView.vue") },
  { path: "/reforms", redirect: "/reforms/new" }, // the list of reforms is on the new reform's page
  { path: "/reforms/new", component: () => import("./views/ReformBuilderView.vue") },
  { path: "/reforms/:name", component: () => import("./views/ReformBuilderView.vue") },
  { path: "/runs/:id", component: () => import("./views/RunView.vue") },
  { path: "/fiscal", component: () => import("./views/FiscalView.vue") },
  { path: "/map", component: () => import("./views/PopulationMapView.vue") },
  { path: "/services", component: () => import("./views/ServicesView.vue") },
  { path: "/siting", component: () => import("./views/SitingView.vue") },
  { path: "/:rest(.*)*", component: () => import("./views/NotFoundView.vue") },
];

export const router = createRouter({ history: createWebHistory("/office/"), routes });

router.beforeEach((to) => {
  if (!to.meta.public && !session.token()) return { path: "/login", query: { next: to.fullPath } };
  if (!to.meta.public && who.must_change_password && to.path !== "/password") return { path: "/password" };
  return true;
});

window.addEventListener("cz-logged-out", () => router.push("/login"));
window.addEventListener("cz-password-change", () => {
  who.must_change_password = true;
  router.push("/password");
});
