import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveClient } from "@realmchat/cli";
import type { LiveEvent } from "@realmchat/protocol";
import { untilFederated } from "../federation-ready.ts";
import { Topology } from "../topology.ts";
import { writeFederationConfigs, type RealmSpec } from "../topology-config.ts";

export interface GroupRaceOptions {
  /** 2 or 3 realms, one user on each. */
  readonly realms: number;
  readonly rounds: number;
  /** Each round's joins start at random moments within this many milliseconds. */
  readonly spreadMs: number;
  /** How long a round may take to become one group that everyone hears. */
  readonly settleMs?: number;
}

export interface GroupRaceResult {
  readonly realms: number;
  readonly rounds: number;
  /** Rounds in which every user ended in the same group, on the same home. */
  readonly oneGroup: number;
  /** Rounds in which, besides, every user heard every other user's line exactly once. */
  readonly allHeard: number;
  /** Rounds in which the first joins created more than one group (that then had to merge). */
  readonly merged: number;
  /** What went wrong in the rounds that failed. */
  readonly failures: readonly string[];
  readonly seconds: number;
}

const USERS = ["messi", "james", "kai"] as const;

interface Racer {
  readonly user: string;
  readonly client: LiveClient;
  readonly events: LiveEvent[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(check: () => Promise<T | undefined> | T | undefined, withinMs: number): Promise<T | undefined> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(25);
  }
}

/** The home each racer's client believes it is in: its join's answer, then any `moved` events. */
function homeSeenBy(racer: Racer, group: string, joinedHome: string): string {
  let home = joinedHome;
  for (const e of racer.events) if (e.ev === "moved" && e.group === group) home = e.home;
  return home;
}

/** One round: everyone joins a brand-new name at nearly the same moment, then everyone talks. */
async function round(
  racers: readonly Racer[],
  group: string,
  options: GroupRaceOptions,
): Promise<{ oneGroup: boolean; allHeard: boolean; merged: boolean; failure?: string }> {
  const settleMs = options.settleMs ?? 10_000;
  const joined = await Promise.all(
    racers.map(async (r) => {
      await sleep(Math.random() * options.spreadMs);
      return (await r.client.join(group)).home;
    }),
  );
  const merged = new Set(joined).size > 1;
  const homes = await until(() => {
    const seen = racers.map((r, i) => homeSeenBy(r, group, joined[i] as string));
    return new Set(seen).size === 1 ? seen : undefined;
  }, settleMs);
  if (homes === undefined)
    return {
      oneGroup: false,
      allHeard: false,
      merged,
      failure: `${group}: homes stayed ${JSON.stringify(racers.map((r, i) => homeSeenBy(r, group, joined[i] as string)))}`,
    };
  // Everyone is in the one group once its home lists them all online.
  const everyone = await until(async () => {
    const who = await racers[0]?.client.who(group);
    return who !== undefined && who.online.length >= racers.length ? who : undefined;
  }, settleMs);
  if (everyone === undefined)
    return { oneGroup: true, allHeard: false, merged, failure: `${group}: not everyone came online in the one group` };
  for (const r of racers) await r.client.say(group, `${group} from ${r.user}`);
  const heard = (r: Racer, from: string): number =>
    r.events.filter((e) => e.ev === "group" && e.group === group && e.kind === "message" && e.text === `${group} from ${from}`).length;
  const complete = await until(
    () => (racers.every((r) => racers.every((o) => o === r || heard(r, o.user) >= 1)) ? true : undefined),
    settleMs,
  );
  await sleep(100);
  const once = racers.every((r) => racers.every((o) => o === r || heard(r, o.user) === 1));
  if (complete !== true || !once) {
    const counts = racers.map(
      (r) =>
        `${r.user}: ${racers
          .filter((o) => o !== r)
          .map((o) => `${o.user}×${heard(r, o.user)}`)
          .join(" ")}`,
    );
    return { oneGroup: true, allHeard: false, merged, failure: `${group}: lines heard ${counts.join("; ")}` };
  }
  return { oneGroup: true, allHeard: true, merged };
}

/**
 * Users on 2 or 3 realms (real servers and bridges, as child processes) join a brand-new group
 * name within a few milliseconds of each other, round after round; counts how often that ended
 * as one group in which everyone hears everyone (docs/design/federation.md, "One group per name").
 */
export async function runGroupRace(options: GroupRaceOptions): Promise<GroupRaceResult> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), "realmchat-race-"));
  const topology = new Topology();
  const racers: Racer[] = [];
  try {
    const realms: RealmSpec[] = USERS.slice(0, options.realms).map((user, i) => ({
      name: `realm${i + 1}`,
      users: [{ user, password: "pw" }],
    }));
    const specs = await writeFederationConfigs(dir, realms);
    await topology.startFederation(specs, { anyPort: true, dataRoot: join(dir, "data"), heartbeatMs: 300, maxBackoffMs: 400 });
    for (const [i, realm] of realms.entries()) {
      const user = USERS[i] as string;
      for (const other of USERS.slice(0, options.realms))
        if (other !== user) await untilFederated(topology, { realm: realm.name, user, password: "pw" }, other);
      const events: LiveEvent[] = [];
      const client = await LiveClient.connect(topology.realm(realm.name), (e) => events.push(e));
      await client.auth(user, "pw");
      racers.push({ user, client, events });
    }
    let oneGroup = 0;
    let allHeard = 0;
    let merged = 0;
    const failures: string[] = [];
    for (let i = 1; i <= options.rounds; i++) {
      const result = await round(racers, `race${i}`, options);
      if (result.oneGroup) oneGroup++;
      if (result.allHeard) allHeard++;
      if (result.merged) merged++;
      if (result.failure !== undefined) failures.push(result.failure);
    }
    return {
      realms: options.realms,
      rounds: options.rounds,
      oneGroup,
      allHeard,
      merged,
      failures,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await Promise.all(racers.map((r) => r.client.close()));
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  }
}
