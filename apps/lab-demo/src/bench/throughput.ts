import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Topology } from "../topology.ts";
import { untilFederated } from "../federation-ready.ts";
import { writeFederationConfigs } from "../topology-config.ts";

export interface ThroughputOptions {
  readonly clients: number;
  readonly messagesPerClient: number;
  /** Requests a client keeps on the wire before waiting for replies. */
  readonly pipeline: number;
  readonly crossRealm: boolean;
}

export interface ThroughputResult {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/** A classic client that pipelines `send` requests and counts OK replies, straight on a socket. */
async function pipelinedSender(port: number, user: string, to: string, count: number, pipeline: number): Promise<void> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  socket.setNoDelay(true);
  socket.setEncoding("latin1");
  let buffer = "";
  let replies = 0;
  let token = "";
  let sent = 0;
  await new Promise<void>((resolve, reject) => {
    const sendMore = (): void => {
      let out = "";
      while (sent < count && sent - (replies - 1) < pipeline) out += `send ${token} ${to} bench message ${sent++}\r\n`;
      if (out) socket.write(out);
    };
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf("\r\n\r\n");
      while (end !== -1) {
        const reply = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        if (!reply.includes('"OK"')) return reject(new Error(`bench request failed: ${reply}`));
        replies++;
        if (replies === 1) token = (JSON.parse(reply) as { tokenid: string }).tokenid;
        end = buffer.indexOf("\r\n\r\n");
      }
      if (replies === count + 1) resolve();
      else sendMore();
    });
    socket.write(`auth ${user} bench\r\n`);
  });
  socket.destroy();
}

/** The realms' rate and inbox limits are raised for a benchmark: it measures throughput, not the limits. */
export const BENCH_REALM_ARGS = ["--requests-per-second", "10000000", "--group-messages-per-second", "10000000", "--max-inbox", "100000000"] as const;

/** Private messages per second through real processes (SQLite, group commit, bridges if cross-realm). */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const dir = await mkdtemp(join(tmpdir(), "realmchat-bench-"));
  const topology = new Topology();
  try {
    const users = (realm: string) => Array.from({ length: options.clients }, (_, i) => ({ user: `${realm}u${i}`, password: "bench" }));
    const specs = await writeFederationConfigs(dir, [
      { name: "realm1", users: users("r1") },
      { name: "realm2", users: users("r2") },
    ]);
    await topology.startFederation(specs, { anyPort: true, dataRoot: join(dir, "data"), realmArgs: BENCH_REALM_ARGS });
    const port = topology.realm("realm1").port;
    await untilFederated(topology, { realm: "realm1", user: "r1u0", password: "bench" }, "r2u0");
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.clients }, (_, i) =>
        pipelinedSender(port, `r1u${i}`, options.crossRealm ? `r2u${i}` : `r1u${(i + 1) % options.clients}`, options.messagesPerClient, options.pipeline),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const messages = options.clients * options.messagesPerClient;
    return { messages, seconds, perSecond: Math.round(messages / seconds) };
  } finally {
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  }
}
