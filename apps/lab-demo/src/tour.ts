import type { ClassicClient } from "@realmchat/cli";
import { TourStepFailedError } from "./errors.ts";
import { instanceName, type Topology } from "./topology.ts";

export interface TourUser {
  readonly realm: string;
  readonly user: string;
  readonly password: string;
  /** Which of the realm's instances the user connects to (cluster mode); the first by default. */
  readonly instance?: number;
}

export interface TourPlan {
  /** Users of the first realm, at least two; a second realm's users when federation is on. */
  readonly local: readonly [TourUser, TourUser, ...TourUser[]];
  readonly remote?: readonly [TourUser, ...TourUser[]];
}

export interface TourResult {
  readonly passed: number;
  readonly failed: number;
}

/** Prints a transcript line. */
export type Say = (line: string) => void;

function expectLine(lines: string[], wanted: string, step: string, within = 3000): Promise<void> {
  const deadline = Date.now() + within;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (lines.includes(wanted)) return resolve();
      if (Date.now() > deadline) return reject(new TourStepFailedError(step, `never saw '${wanted}' (saw ${JSON.stringify(lines)})`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

/** Retries `attempt` until it succeeds: right after start-up the realms are still exchanging directories. */
async function waitFor<T>(attempt: () => Promise<T>, step: string, within = 10_000): Promise<T> {
  const deadline = Date.now() + within;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw new TourStepFailedError(step, (err as Error).message, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A short walk through the operations, printed as a person would follow it. Each step checks
 * what came back; a failed step is reported and the tour goes on.
 */
export async function runTour(topology: Topology, plan: TourPlan, say: Say): Promise<TourResult> {
  let passed = 0;
  let failed = 0;
  const step = async (title: string, body: () => Promise<void>): Promise<void> => {
    say(`\n== ${title}`);
    try {
      await body();
      passed++;
    } catch (err) {
      failed++;
      say(`   FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const [a, b] = plan.local;
  const clients = new Map<string, ClassicClient>();
  const client = (u: TourUser): ClassicClient => {
    const c = clients.get(`${u.user}@${u.realm}`);
    if (c === undefined) throw new TourStepFailedError("setup", `${u.user} is not logged in`);
    return c;
  };

  await step("authentication", async () => {
    for (const u of [...plan.local, ...(plan.remote ?? [])]) {
      const c = await topology.connect(u.realm, u.user, u.password, u.instance);
      clients.set(`${u.user}@${u.realm}`, c);
      const where =
        u.instance === undefined ? "" : ` (instance ${u.instance}, port ${topology.realm(instanceName(u.realm, u.instance)).port})`;
      say(`   ${u.user} logs in to ${u.realm}${where}: token ${c.token}`);
    }
  });

  await step("private chat", async () => {
    const sent = await client(a).send(b.user, "apa kabar disana?");
    say(`   ${a.user} -> ${b.user}: "apa kabar disana?"  (${sent.message})`);
  });

  await step("inbox", async () => {
    const entries = await client(b).inbox();
    for (const e of entries) say(`   ${b.user}'s inbox: ${e.fromName} (${e.from}): ${e.text}`);
    if (!entries.some((e) => e.from === a.user && e.text === "apa kabar disana?")) {
      throw new TourStepFailedError("inbox", `${b.user}'s inbox lacks the message from ${a.user}`);
    }
  });

  await step("group chat", async () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    await client(a).joinGroup("batak", (l) => seenA.push(l));
    await client(b).joinGroup("batak", (l) => seenB.push(l));
    client(a).say("halo gaes");
    await expectLine(seenB, `${a.user}: halo gaes`, "group chat");
    client(b).say(`halo ${a.user}!!!`);
    await expectLine(seenA, `${b.user}: halo ${a.user}!!!`, "group chat");
    for (const line of seenA) say(`   [${a.user} sees] ${line}`);
    await client(b).leaveGroup();
    await expectLine(seenA, `${b.user} left`, "group chat");
    say(`   [${a.user} sees] ${b.user} left`);
    await client(a).leaveGroup();
  });

  const remote = plan.remote?.[0];
  if (remote !== undefined) {
    await step("private chat across realms", async () => {
      await waitFor(
        async () => (await client(a).send(remote.user, `Halo, apa kabar, ${remote.user}?`)).message,
        "private chat across realms",
      );
      say(`   ${a.user}@${a.realm} -> ${remote.user}@${remote.realm}: "Halo, apa kabar, ${remote.user}?"`);
      const sent = await client(remote).send(`${a.user}@${a.realm}`, "baik, terima kasih!");
      say(`   ${remote.user}@${remote.realm} -> ${a.user}@${a.realm}: "baik, terima kasih!"  (${sent.message})`);
      const theirs = await client(remote).inbox();
      for (const e of theirs) say(`   ${remote.user}'s inbox: ${e.fromName} (${e.from}): ${e.text}`);
      if (!theirs.some((e) => e.from === `${a.user}@${a.realm}`))
        throw new TourStepFailedError("private chat across realms", `${remote.user} got nothing from ${a.user}`);
      const mine = await client(a).inbox();
      for (const e of mine) say(`   ${a.user}'s inbox: ${e.fromName} (${e.from}): ${e.text}`);
      if (!mine.some((e) => e.from === `${remote.user}@${remote.realm}`))
        throw new TourStepFailedError("private chat across realms", `${a.user} got no answer`);
    });

    await step("group chat across realms", async () => {
      const seenA: string[] = [];
      const seenR: string[] = [];
      await client(a).joinGroup("batak", (l) => seenA.push(l));
      await client(remote).joinGroup("batak", (l) => seenR.push(l));
      await expectLine(seenA, `${remote.user}@${remote.realm} joined`, "group chat across realms");
      client(remote).say("halo gaes");
      await expectLine(seenA, `${remote.user}@${remote.realm}: halo gaes`, "group chat across realms");
      client(a).say(`halo ${remote.user}, selamat datang!!!`);
      await expectLine(seenR, `${a.user}@${a.realm}: halo ${remote.user}, selamat datang!!!`, "group chat across realms");
      for (const line of seenR) say(`   [${remote.user} on ${remote.realm} sees] ${line}`);
      await client(remote).leaveGroup();
      await expectLine(seenA, `${remote.user}@${remote.realm} left`, "group chat across realms");
      say(`   [${a.user} on ${a.realm} sees] ${remote.user}@${remote.realm} left`);
      await client(a).leaveGroup();
    });
  }

  say(`\n== tour finished: ${passed} steps passed, ${failed} failed`);
  return { passed, failed };
}
