import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FederatedRealmSpec } from "./topology.ts";
import type { TourPlan } from "./tour.ts";

/** The seed's lab: configs shipped with the demo (copy and edit them to change ports or users). */
export const DEMO_CONFIG_DIR = fileURLToPath(new URL("../config/", import.meta.url));

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
