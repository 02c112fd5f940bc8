import { fileURLToPath } from "node:url";
import type { TourPlan } from "./tour.ts";

/** The seed's lab: realm configs shipped with the demo (copy and edit them to change ports or users). */
export const DEMO_CONFIG_DIR = fileURLToPath(new URL("../config/", import.meta.url));

export const SEED_TOUR: TourPlan = {
  local: [
    { realm: "realm1", user: "messi", password: "surabaya" },
    { realm: "realm1", user: "henderson", password: "surabaya" },
    { realm: "realm1", user: "lineker", password: "surabaya" },
  ],
};
