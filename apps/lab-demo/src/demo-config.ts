import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FederatedRealmSpec } from "./topology.ts";
import type { TourPlan, TourUser } from "./tour.ts";

/** The seed's lab: configs shipped with the demo (copy and edit them to change ports or users). */
export const DEMO_CONFIG_DIR = fileURLToPath(new URL("../config/", import.meta.url));

/** The browser client as `pnpm --filter web build` leaves it; each realm serves it on its web port. */
export const WEB_CLIENT_DIR = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/** The lab view's page as `pnpm --filter lab-view build` leaves it; the demo serves it on LAB_VIEW_PORT. */
export const LAB_VIEW_DIR = fileURLToPath(new URL("../../lab-view/dist/", import.meta.url));

/** Where `pnpm demo` serves the lab view (issue 24: http://127.0.0.1:8800). */
export const LAB_VIEW_PORT = 8800;

/** The demo's own data folder (git ignores it); delete it to start from empty inboxes. */
export const DEMO_DATA_DIR = fileURLToPath(new URL("../data/", import.meta.url));

export function demoRealms(configDir: string): FederatedRealmSpec[] {
  return ["1", "2"].map((n) => ({
    name: `realm${n}`,
    realmConfig: join(configDir, `realm${n}.json`),
    bridgeConfig: join(configDir, `bridge${n}.json`),
  }));
}

export const SEED_TOUR: TourPlan = {
  local: [
    { realm: "realm1", user: "messi", password: "surabaya" },
    { realm: "realm1", user: "henderson", password: "surabaya" },
    { realm: "realm1", user: "lineker", password: "surabaya" },
  ],
  remote: [
    { realm: "realm2", user: "james", password: "medan" },
    { realm: "realm2", user: "jantuar", password: "moskow" },
    { realm: "realm2", user: "taeno", password: "tokyo" },
  ],
};

/**
 * The tour with its users spread over `instances` instances of each realm (cluster mode): the
 * first two users of realm1, who chat privately and in a group, are on different instances, and
 * realm2's first user is on another instance than the realm1 user it talks to.
 */
export function spreadTour(plan: TourPlan, instances: number): TourPlan {
  if (instances <= 1) return plan;
  const on = <T extends TourUser>(u: T, i: number): T => ({ ...u, instance: (i % instances) + 1 });
  const [a, b, ...rest] = plan.local;
  return {
    local: [on(a, 0), on(b, 1), ...rest.map((u, i) => on(u, i + 2))],
    ...(plan.remote === undefined ? {} : { remote: [on(plan.remote[0], 1), ...plan.remote.slice(1).map((u, i) => on(u, i + 2))] }),
  };
}
