import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Endpoint } from "@realmchat/peer-bridge";
import {
  DEMO_CONFIG_DIR,
  DEMO_DATA_DIR,
  demoRealms,
  LAB_VIEW_DIR,
  LAB_VIEW_PORT,
  SEED_TOUR,
  spreadTour,
  WEB_CLIENT_DIR,
} from "./demo-config.ts";
import { LinkCutter } from "./lab-view/link-cutter.ts";
import { startLabView, type RunningLabView } from "./lab-view/lab-view.ts";
import { startLocalPostgres, type LocalPostgres } from "./local-postgres.ts";
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
  /**
   * Instances of each realm server (cluster mode): above 1, a local PostgreSQL (data in
   * `<dataDir>/postgres`) holds one database per realm, shared by its instances.
   */
  readonly instances: number;
  /**
   * Serve the lab view (docs/design/lab-view.md) on this port once the tour is done: the processes
   * publish their frames at taps and the bridges link through a cutter. Not with `once`, nor with
   * several instances.
   */
  readonly labPort: number | undefined;
  /** How long each step of a lab scenario leaves the page to play its frames. */
  readonly labStepPauseMs: number;
  readonly say: Say;
}

export const DEFAULT_LAB_DEMO_OPTIONS = {
  configDir: DEMO_CONFIG_DIR,
  dataDir: DEMO_DATA_DIR,
  once: false,
  anyPort: false,
  verbose: false,
  instances: 1,
  labPort: LAB_VIEW_PORT,
  labStepPauseMs: 1500,
} as const;

/**
 * Starts the seed's topology from the config folder, runs the tour, then either stops (once) or
 * waits for Ctrl-C. Resolves with the process exit code.
 */
/** Where a process's metrics and health are read, for the demo's summary. */
function metricsOf(url: string | undefined): string {
  return url === undefined ? "" : `, metrics ${url}/metrics (health: /healthz, /readyz)`;
}

export async function runLabDemo(options: LabDemoOptions): Promise<number> {
  const topology = new Topology();
  const say = options.say;
  const logs = new ProcessLogs(join(options.dataDir, "logs"), options.verbose, say);
  let postgres: LocalPostgres | undefined;
  let cutter: LinkCutter | undefined;
  let lab: RunningLabView | undefined;
  const labPort = options.once || options.instances > 1 ? undefined : options.labPort;
  try {
    if (options.instances > 1) {
      postgres = await startLocalPostgres(join(options.dataDir, "postgres"));
      say(`PostgreSQL 18 on 127.0.0.1:${postgres.port} (data in ${join(options.dataDir, "postgres")}), one database per realm`);
    }
    const pg = postgres;
    await topology.startFederation(demoRealms(options.configDir), {
      anyPort: options.anyPort,
      dataRoot: options.dataDir,
      onStderr: logs.write,
      instances: options.instances,
      realmArgs: ["--web-client", WEB_CLIENT_DIR],
      ...(labPort === undefined
        ? {}
        : {
            tap: true,
            peerVia: async (_dialer: string, _peer: string, at: Endpoint) => {
              cutter = await LinkCutter.open(at);
              return cutter.address;
            },
          }),
      ...(pg === undefined ? {} : { storeUrlOf: (realm: string) => pg.database(realm) }),
    });
    for (const bridge of topology.bridges.values()) {
      for (const realm of topology.instancesOf(bridge.name)) {
        say(
          `${realm.name}: server pid ${realm.process.pid} on ${realm.host}:${realm.port}, federation port ` +
            `${realm.federationPort}${metricsOf(realm.metricsUrl)}; logs: ${logs.fileOf(realm.name)}`,
        );
      }
      say(
        `bridge ${bridge.name}: pid ${bridge.process.pid} on ${bridge.host}:${bridge.port}${metricsOf(bridge.metricsUrl)}; ` +
          `logs: ${logs.fileOf(`bridge ${bridge.name}`)}`,
      );
    }
    const result = await runTour(topology, spreadTour(SEED_TOUR, options.instances), say);
    if (options.once) return result.failed === 0 ? 0 : 1;
    if (labPort !== undefined && cutter !== undefined) {
      lab = await startLabView(topology, cutter, { port: labPort, pageDir: LAB_VIEW_DIR, stepPauseMs: options.labStepPauseMs, say });
      say(`\nThe lab view, every frame between clients, realms and bridges: ${lab.url}`);
    }
    say(`\nThe realms stay up. Join one from another terminal:`);
    // With several instances, the client is given all of them and tries them in turn.
    for (const bridge of topology.bridges.values()) {
      const servers = topology.instancesOf(bridge.name).map((r) => `${r.host}:${r.port}`);
      say(`  npx pnpm@10.34.9 -s --filter cli start -- --server ${servers.join(",")}`);
    }
    const pages = [...topology.realms.values()].filter((r) => r.webUrl !== undefined);
    if (pages.length > 0) {
      say(
        `Or open a realm's page in a browser${existsSync(WEB_CLIENT_DIR) ? "" : " (build it first: npx pnpm@10.34.9 --filter web build)"}:`,
      );
      for (const r of pages) say(`  ${r.name}: ${r.webUrl}`);
    }
    say(`Press Ctrl-C to stop every process.`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    say("stopping...");
    return 0;
  } finally {
    await lab?.close();
    await topology.close();
    await cutter?.close();
    await postgres?.stop();
    await logs.close();
  }
}
