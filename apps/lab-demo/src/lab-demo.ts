import { join } from "node:path";
import { DEMO_CONFIG_DIR, SEED_TOUR } from "./demo-config.ts";
import { Topology } from "./topology.ts";
import { runTour, type Say } from "./tour.ts";

export interface LabDemoOptions {
  readonly configDir: string;
  /** Run the tour and stop, rather than staying up for people to join. */
  readonly once: boolean;
  /** Free ports chosen by the OS instead of the configured ones (tests, or a busy machine). */
  readonly anyPort: boolean;
  readonly say: Say;
}

export const DEFAULT_LAB_DEMO_OPTIONS = { configDir: DEMO_CONFIG_DIR, once: false, anyPort: false } as const;

/**
 * Starts the seed's topology from the config folder, runs the tour, then either stops (once) or
 * waits for Ctrl-C. Resolves with the process exit code.
 */
export async function runLabDemo(options: LabDemoOptions): Promise<number> {
  const topology = new Topology();
  const say = options.say;
  try {
    const realm1 = await topology.startRealm({ name: "realm1", config: join(options.configDir, "realm1.json"), ...(options.anyPort ? { port: 0 } : {}) });
    say(`realm1 (pid ${realm1.process.pid}) on ${realm1.host}:${realm1.port}`);
    const result = await runTour(topology, SEED_TOUR, say);
    if (options.once) return result.failed === 0 ? 0 : 1;
    say(`\nThe realm stays up. Join it from another terminal:`);
    say(`  npx pnpm@10.34.9 --filter cli start -- --server ${realm1.host}:${realm1.port}`);
    say(`Press Ctrl-C to stop.`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    say("stopping...");
    return 0;
  } finally {
    await topology.close();
  }
}
