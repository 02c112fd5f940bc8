import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeFederationFrame,
  encodeFederationFrame,
  FEDERATION_VERSION,
  HandshakeDialer,
  LineDecoder,
  type FederationFrame,
  type FrameError,
} from "@realmchat/protocol";
import { parseLogLines } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { Topology } from "../src/topology.ts";
import { defaultPeerSecret, writeFederationConfigs } from "../src/topology-config.ts";
import { collectInbox, eventually, SEED_REALMS } from "./federation-fixtures.ts";

/** A peer bridge written by hand: it holds the right secret, and says whatever the test wants. */
class FakePeer {
  readonly socket: Socket;
  readonly frames: FederationFrame[] = [];
  readonly #decoder = new LineDecoder({ maxFrameBytes: 1 << 20 });
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) =>
      this.#decoder.push(chunk, {
        onLine: (line: string) => {
          const d = decodeFederationFrame(line);
          if (d.ok) this.frames.push(d.frame);
        },
        onFrameError: (e: FrameError) => {
          throw e;
        },
      }),
    );
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => undefined);
  }

  static async open(port: number): Promise<FakePeer> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    });
    return new FakePeer(socket);
  }

  static async linkAs(realm: string, target: string, port: number, secret: string): Promise<FakePeer> {
    const peer = await FakePeer.open(port);
    const handshake = new HandshakeDialer(realm, target, secret);
    peer.send(handshake.start());
    const step = handshake.receive(await peer.next("challenge"));
    if (step.kind !== "send") throw new Error(`handshake failed: ${JSON.stringify(step)}`);
    peer.send(step.frame);
    const done = handshake.receive(await peer.next("welcome"));
    if (done.kind !== "done") throw new Error(`handshake failed: ${JSON.stringify(done)}`);
    return peer;
  }

  send(frame: FederationFrame): void {
    this.socket.write(encodeFederationFrame(frame));
  }

  async next<T extends FederationFrame["t"]>(
    t: T,
    where: (f: Extract<FederationFrame, { t: T }>) => boolean = () => true,
  ): Promise<Extract<FederationFrame, { t: T }>> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const i = this.frames.findIndex((f) => f.t === t && where(f as Extract<FederationFrame, { t: T }>));
      if (i !== -1) return this.frames.splice(i, 1)[0] as Extract<FederationFrame, { t: T }>;
      const refused = this.frames.find((f) => f.t === "refused");
      if (refused !== undefined) throw new Error(`handshake failed: ${JSON.stringify(refused)}`);
      if (this.closed || Date.now() > deadline) throw new Error(`no ${t} frame (closed: ${this.closed})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const dm = (id: string, origin: string, text: string): FederationFrame => ({
  t: "dm",
  id,
  origin,
  to: "realm1",
  from: "james",
  fromName: "James Maranata",
  user: "messi",
  text,
  sentAt: Date.now(),
});

let cleanup: (() => Promise<void>) | undefined;

/** realm1 and its bridge; realm2's real bridge is absent (its configured address points nowhere). */
async function startRealm1Alone() {
  const dir = await mkdtemp(join(tmpdir(), "realmchat-hostile-"));
  const [realm1] = await writeFederationConfigs(dir, SEED_REALMS);
  const topology = new Topology();
  cleanup = async () => {
    await topology.close();
    await rm(dir, { recursive: true, force: true });
  };
  const spec = realm1 as NonNullable<typeof realm1>;
  const realm = await topology.startRealm({
    name: "realm1",
    config: spec.realmConfig,
    dataDir: join(dir, "realm1"),
    port: 0,
    federationPort: 0,
  });
  const bridge = await topology.startBridge({
    name: "realm1",
    config: spec.bridgeConfig,
    dataDir: join(dir, "bridge-realm1"),
    listenPort: 0,
    realmPort: realm.federationPort as number,
    peers: { realm2: { host: "127.0.0.1", port: 9 } },
    heartbeatMs: 300,
    maxBackoffMs: 400,
  });
  return { topology, realm, bridge };
}
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("a hostile peer bridge", () => {
  it("forged origins, echoes and forged directories are dropped and logged; duplicates are stored once", async () => {
    const { topology, realm, bridge } = await startRealm1Alone();
    const peer = await FakePeer.linkAs("realm2", "realm1", bridge.port, defaultPeerSecret("realm1", "realm2"));
    peer.send({ t: "directory", realm: "realm2", users: [{ user: "james", name: "James Maranata" }], groups: [] });

    const acked = (id: string) => (a: { results: readonly { id: string }[] }) => a.results.some((r) => r.id === id);
    peer.send(dm("legit-1", "realm2", "a real message"));
    expect(await peer.next("acks", acked("legit-1"))).toMatchObject({ origin: "realm2", results: [{ id: "legit-1", status: "stored" }] });
    peer.send(dm("legit-1", "realm2", "a real message"));
    expect(await peer.next("acks", acked("legit-1"))).toMatchObject({ results: [{ id: "legit-1", status: "stored" }] });

    peer.send(dm("forged-1", "realm3", "I am not realm2"));
    peer.send(dm("echo-1", "realm1", "pretending to be realm1's own"));
    peer.send({ t: "directory", realm: "realm3", users: [{ user: "mallory", name: "Mallory" }], groups: [] });
    await eventually(() => {
      const warned = parseLogLines(bridge.process.stderr).filter((e) => e.level === "warn");
      expect(warned).toContainEqual(expect.objectContaining({ msg: "forged origin dropped", claimed: "realm3" }));
      expect(warned).toContainEqual(expect.objectContaining({ msg: "echo of our own frame dropped", from: "realm2" }));
      expect(warned).toContainEqual(expect.objectContaining({ msg: "forged directory dropped", claimed: "realm3" }));
    });

    const messi = await topology.connect("realm1", "messi", "surabaya");
    const inbox = await collectInbox(messi, 1);
    expect(inbox.map((e) => `${e.from}: ${e.text}`)).toEqual(["james@realm2: a real message"]);
    await expect(messi.send("mallory", "hi")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    expect(peer.frames.filter((f) => f.t === "ack" || f.t === "acks")).toEqual([]);

    // Garbage ends the link; the bridge and the realm go on.
    peer.socket.write("this is not json\n");
    await eventually(() => expect(peer.closed).toBe(true));
    await eventually(() => expect(bridge.process.stderr).toMatch(/malformed frame; dropping the link/));
    expect(bridge.process.running && realm.process.running).toBe(true);
  }, 60_000);

  it("a peer with the wrong secret never gets past the handshake", async () => {
    const { bridge } = await startRealm1Alone();
    await expect(FakePeer.linkAs("realm2", "realm1", bridge.port, "a guessed secret, wrong")).rejects.toThrow(/handshake failed/);
    await expect(FakePeer.linkAs("realm7", "realm1", bridge.port, "whatever whatever")).rejects.toThrow(/unknown realm realm7/);
    await eventually(() => expect(bridge.process.stderr).toMatch(/link refused/));
  }, 60_000);

  it("gives a stranger's hello a challenge and no proof, on the bridge port and on the realm's federation port", async () => {
    const { realm, bridge } = await startRealm1Alone();
    for (const [port, claimed] of [
      [bridge.port, "realm2"],
      [realm.federationPort as number, "realm1"],
    ] as const) {
      const stranger = await FakePeer.open(port);
      stranger.send({ t: "hello", v: FEDERATION_VERSION, realm: claimed, nonce: "n".repeat(32) });
      const challenge = await stranger.next("challenge");
      expect(Object.keys(challenge).sort()).toEqual(["nonce", "realm", "t"]);
      stranger.send({ t: "prove", proof: "a guess" });
      await eventually(() => expect(stranger.closed).toBe(true));
      expect(stranger.frames.map((f) => f.t)).toEqual(["refused"]);
    }
  }, 60_000);
});
