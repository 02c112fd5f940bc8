import { join } from "node:path";
import { DEMO_CONFIG_DIR, DEMO_DATA_DIR, demoRealms, SEED_TOUR } from "./demo-config.ts";
import { ProcessLogs } from "./process-logs.ts";
import { Topology } from "./topology.ts";
import { runTour, type Say } from "./tour.ts";

export interface LabDemoOptions {
  readonly configDir: string;
  /** Where the demo's realms and bridges keep their SQLite files. */
  readonly dataDir: string;
  /** Run the tour and stop, rather than staying up for people to join. */
  readonly once: boolean;
  /** Free ports chosen by the OS instead of the configured ones (tests, or a busy machine). */
  readonly anyPort: boolean;
  /** Show the processes' logs on the terminal too (they always go to files in `<dataDir>/logs`). */
  readonly verbose: boolean;
  readonly say: Say;
}

export const DEFAULT_LAB_DEMO_OPTIONS = { configDir: DEMO_CONFIG_DIR, dataDir: DEMO_DATA_DIR, once: false, anyPort: false, verbose: false } as const;

/**
 * Starts the seed's topology from the config folder, runs the tour, then either stops (once) or
 * waits for Ctrl-C. Resolves with the process exit code.
 */
export async function runLabDemo(options: LabDemoOptions): Promise<number> {
  const topology = new Topology();
  const say = options.say;
  const logs = new ProcessLogs(join(options.dataDir, "logs"), options.verbose, say);
  try {
    await topology.startFederation(demoRealms(options.configDir), { anyPort: options.anyPort, dataRoot: options.dataDir, onStderr: logs.write });
    for (const realm of topology.realms.values()) {
      const bridge = topology.bridge(realm.name);
      say(`${realm.name}: server pid ${realm.process.pid} on ${realm.host}:${realm.port}, bridge pid ${bridge.process.pid} on ${bridge.host}:${bridge.port}`);
      say(`  logs: ${logs.fileOf(realm.name)}, ${logs.fileOf(`bridge ${realm.name}`)}`);
    }
    const result = await runTour(topology, SEED_TOUR, say);
    if (options.once) return result.failed === 0 ? 0 : 1;
    say(`\nThe realms stay up. Join one from another terminal:`);
    for (const realm of topology.realms.values()) say(`  npx pnpm@10.34.9 -s --filter cli start -- --server ${realm.host}:${realm.port}`);
    say(`Press Ctrl-C to stop every process.`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    say("stopping...");
    return 0;
  } finally {
    await topology.close();
    await logs.close();
  }
}
