import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freeLocalPort } from "@realmchat/node-runtime";
import type { BenchClient, BenchSystem } from "./bench-system.ts";
import { IrcBenchClient } from "./irc-bench-client.ts";

/** Whether Debian's `ngircd` is on this machine (the README says how to install it). */
export function ngircdInstalled(): boolean {
  return spawnSync("ngircd", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * The comparison's peer: two ngircd servers linked to each other, flood penalties off
 * (`MaxPenaltyTime = 0`) and no connection limits, so that it is measured at full speed as ours is.
 */
function ngircdConfig(name: string, port: number, peer: { name: string; port: number | undefined; my: string; theirs: string }): string {
  return `[Global]
\tName = ${name}
\tInfo = realmchat benchmark peer
\tAdminInfo1 = bench
\tAdminInfo2 = bench
\tAdminEMail = bench@localhost
\tListen = 127.0.0.1
\tPorts = ${port}
\tServerUID = nobody
\tServerGID = nogroup
[Limits]
\tMaxConnections = 0
\tMaxConnectionsIP = 0
\tMaxJoins = 0
\tMaxPenaltyTime = 0
\tPingTimeout = 600
\tPongTimeout = 120
\tConnectRetry = 5
[Options]
\tDNS = no
\tIdent = no
\tPAM = no
[Server]
\tName = ${peer.name}
\tHost = 127.0.0.1
${peer.port === undefined ? "" : `\tPort = ${peer.port}\n`}\tMyPassword = ${peer.my}
\tPeerPassword = ${peer.theirs}
`;
}

/** Starts two linked ngircd servers in `dir`; resolves once a message crosses the link. */
export async function startNgircdPair(dir: string): Promise<BenchSystem> {
  const ports = [await freeLocalPort(), await freeLocalPort()] as const;
  await writeFile(
    join(dir, "a.conf"),
    ngircdConfig("a.bench", ports[0], { name: "b.bench", port: ports[1], my: "pass-a", theirs: "pass-b" }),
  );
  await writeFile(
    join(dir, "b.conf"),
    ngircdConfig("b.bench", ports[1], { name: "a.bench", port: undefined, my: "pass-b", theirs: "pass-a" }),
  );
  const children: ChildProcess[] = [];
  for (const name of ["b", "a"]) children.push(spawn("ngircd", ["-n", "-f", join(dir, `${name}.conf`)], { stdio: "ignore" }));
  const system: BenchSystem = {
    name: "ngircd pair",
    connect: async (user, server) => IrcBenchClient.connect(ports[server], `${server === 0 ? "a" : "b"}${user}`),
    addressOf: (user, server) => `${server === 0 ? "a" : "b"}${user}`,
    groupOn: () => "#bench",
    pids: () =>
      new Map([
        ["ngircd a", children[1]?.pid as number],
        ["ngircd b", children[0]?.pid as number],
      ]),
    stop: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
            }),
        ),
      );
    },
  };
  await untilLinked(system);
  return system;
}

/** Waits until a private line from a client on one server reaches a client on the other. */
async function untilLinked(system: BenchSystem): Promise<void> {
  const deadline = Date.now() + 30_000;
  let probes: BenchClient[] = [];
  try {
    // A fresh nick per attempt: the last attempt's may still be registered.
    for (let attempt = 90_000; ; attempt++) {
      try {
        probes = [await system.connect(attempt, 0), await system.connect(attempt, 1)];
        const [from, to] = probes as [BenchClient, BenchClient];
        const heard = new Promise<boolean>((resolve) => {
          to.onText = () => resolve(true);
          setTimeout(() => resolve(false), 500);
        });
        from.sendPrivate(system.addressOf(attempt, 1, 0), "probe");
        if (await heard) return;
      } catch {
        // Not listening yet.
      }
      for (const p of probes) p.close();
      probes = [];
      if (Date.now() > deadline) throw new Error("the two ngircd servers did not link within 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    for (const p of probes) p.close();
  }
}
