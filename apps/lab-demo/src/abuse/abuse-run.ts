import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { untilFederated } from "../federation-ready.ts";
import { Topology } from "../topology.ts";
import { writeFederationConfigs } from "../topology-config.ts";
import type { Attack, AttackOutcome } from "./attack.ts";
import { bruteForce, flood, hugeInbox, idleConnections, pipelinedFlood, slowloris } from "./client-attacks.ts";
import { federationJunk, peerRealmKilled, slowRemoteMember } from "./federation-attacks.ts";
import { HonestProcess } from "./honest-process.ts";
import type { HonestFigures } from "./honest-traffic.ts";
import { PeakMemory } from "./process-memory.ts";

export const ATTACKS: readonly Attack[] = [
  flood,
  pipelinedFlood,
  hugeInbox,
  slowloris,
  idleConnections,
  bruteForce,
  federationJunk,
  slowRemoteMember,
  peerRealmKilled,
];

export interface AbuseRow {
  readonly attack: string;
  readonly honest: HonestFigures;
  /** Peak resident memory in MB per process during the attack. */
  readonly peakMb: ReadonlyMap<string, number>;
  readonly outcome: AttackOutcome | undefined;
}

const PASSWORD = "abuse-pass";
const MIN_WINDOW_MS = 5000;
const REALM1_USERS = ["hA", "hB", "mallory", "mallory2", "mallory3", "mallory4", "sink", "sink2", "vic"];
const REALM2_USERS = ["jA", "slowpoke"];

/**
 * Two realms and their bridges with their default limits, honest users chatting throughout, and
 * each attack in turn; one row per attack (and one for honest traffic alone).
 */
export async function runAbuse(
  options: { readonly only?: readonly string[]; readonly log?: (line: string) => void } = {},
): Promise<AbuseRow[]> {
  const log = options.log ?? (() => undefined);
  const dir = await mkdtemp(join(tmpdir(), "realmchat-abuse-"));
  const topology = new Topology();
  const rows: AbuseRow[] = [];
  try {
    const specs = await writeFederationConfigs(dir, [
      { name: "realm1", users: REALM1_USERS.map((user) => ({ user, password: PASSWORD })) },
      { name: "realm2", users: REALM2_USERS.map((user) => ({ user, password: PASSWORD })) },
    ]);
    await topology.startFederation(specs, { anyPort: true, dataRoot: join(dir, "data") });
    await untilFederated(topology, { realm: "realm1", user: "hA", password: PASSWORD }, "jA");
    const realm1 = { host: "127.0.0.1", port: topology.realm("realm1").port };
    const realm2 = { host: "127.0.0.1", port: topology.realm("realm2").port };
    const memory = new PeakMemory(() => {
      const pids = new Map<string, number>();
      for (const name of ["realm1", "realm2"]) pids.set(name, topology.realm(name).process.child.pid as number);
      for (const name of ["realm1", "realm2"]) pids.set(`bridge${name.slice(-1)}`, topology.bridge(name).process.child.pid as number);
      return pids;
    });
    const traffic = await HonestProcess.start(realm1, realm2, PASSWORD);
    try {
      // Warm-up, not counted: the first seconds of fresh processes measure the JIT, not the servers.
      await new Promise((r) => setTimeout(r, 3000));
      await traffic.openWindow();
      await traffic.closeWindow();
      await traffic.openWindow();
      memory.takePeaks();
      await new Promise((r) => setTimeout(r, 5000));
      rows.push({
        attack: "none (honest traffic alone)",
        honest: await traffic.closeWindow(),
        peakMb: memory.takePeaks().rss,
        outcome: undefined,
      });
      for (const attack of ATTACKS) {
        if (options.only !== undefined && !options.only.some((o) => attack.name.includes(o))) continue;
        log(`running: ${attack.name}`);
        await traffic.openWindow();
        memory.takePeaks();
        const started = Date.now();
        const outcome = await attack.run({ topology, realm1, realm2, password: PASSWORD });
        // At least five seconds of honest traffic per row, so that its p99 rests on some 150 messages.
        await new Promise((r) => setTimeout(r, Math.max(0, MIN_WINDOW_MS - (Date.now() - started))));
        rows.push({ attack: attack.name, honest: await traffic.closeWindow(), peakMb: memory.takePeaks().rss, outcome });
      }
    } finally {
      await traffic.stop();
      memory.stop();
    }
    return rows;
  } finally {
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rows as one markdown table. */
export function abuseTable(rows: readonly AbuseRow[]): string {
  const mb = (row: AbuseRow): string => ["realm1", "realm2", "bridge1", "bridge2"].map((n) => row.peakMb.get(n) ?? "-").join(" / ");
  const lines = [
    "| attack | honest sent | delivered | lost | refused | honest p99 ms (all / within realm1) | peak RSS MB (realm1 / realm2 " +
      "/ bridge1 / bridge2) | attacker connections held | attacker limited | measured |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const o = r.outcome;
    lines.push(
      `| ${r.attack} | ${r.honest.sent} | ${r.honest.delivered} | ${r.honest.lost} | ${r.honest.refused} | ${r.honest.p99Ms} / ` +
        `${r.honest.p99LocalMs} | ${mb(r)} | ${o?.held ?? "-"} | ${o === undefined ? "-" : o.limited ? "yes" : "NO"} | ${o?.note ?? ""} |`,
    );
  }
  return lines.join("\n");
}
