import { createServer, connect, type Server, type Socket } from "node:net";
import type { FederationFrame } from "@realmchat/protocol";
import { silentLogger } from "../logger.ts";
import { FlushScheduler } from "../output/flush-scheduler.ts";
import { afterEach, describe, expect, it } from "vitest";
import { FederationLink, type LinkHandler, type LinkRole } from "./federation-link.ts";

class Recorder implements LinkHandler {
  ready: string[] = [];
  frames: FederationFrame[] = [];
  closed = 0;
  onLinkReady(link: FederationLink): void {
    this.ready.push(link.peer as string);
  }
  onLinkFrame(_link: FederationLink, frame: FederationFrame): void {
    this.frames.push(frame);
  }
  onLinkClosed(): void {
    this.closed++;
  }
}

const scheduler = new FlushScheduler();
let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function pair(dialerRole: LinkRole, acceptorRole: LinkRole, timing = { heartbeatMs: 1000, handshakeTimeoutMs: 1000 }) {
  const accepted = new Recorder();
  const dialed = new Recorder();
  let acceptorLink: FederationLink | undefined;
  server = createServer((socket) => {
    sockets.push(socket);
    acceptorLink = new FederationLink(socket, {
      self: "realm2",
      role: acceptorRole,
      handler: accepted,
      scheduler,
      logger: silentLogger,
      label: "acceptor",
      ...timing,
    });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const socket = await new Promise<Socket>((r) => {
    const s = connect(port, "127.0.0.1", () => r(s));
  });
  sockets.push(socket);
  const dialerLink = new FederationLink(socket, {
    self: "realm1",
    role: dialerRole,
    handler: dialed,
    scheduler,
    logger: silentLogger,
    label: "dialer",
    ...timing,
  });
  return { accepted, dialed, dialerLink, acceptor: () => acceptorLink as FederationLink };
}

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("FederationLink over TCP", () => {
  it("authenticates both ways and then carries frames", async () => {
    const { accepted, dialed, dialerLink } = await pair(
      { kind: "dialer", peer: "realm2", secret: "a shared secret!" },
      { kind: "acceptor", secretFor: (r) => (r === "realm1" ? "a shared secret!" : undefined) },
    );
    await until(() => accepted.ready.length === 1 && dialed.ready.length === 1);
    expect([accepted.ready, dialed.ready]).toEqual([["realm1"], ["realm2"]]);
    dialerLink.send({ t: "peer", realm: "realm1", up: true });
    await until(() => accepted.frames.length === 1);
    expect(accepted.frames[0]).toEqual({ t: "peer", realm: "realm1", up: true });
  });

  it("closes on a wrong secret without ever becoming ready", async () => {
    const { accepted, dialed, dialerLink } = await pair(
      { kind: "dialer", peer: "realm2", secret: "one secret here!" },
      { kind: "acceptor", secretFor: () => "another secret!!" },
    );
    expect(await dialerLink.closed).toBe(false);
    expect(accepted.ready).toEqual([]);
    expect(dialed.ready).toEqual([]);
  });

  it("a side that hears nothing for three heartbeats drops the link, and the other side sees it go", async () => {
    const timing = { heartbeatMs: 50, handshakeTimeoutMs: 1000 };
    const { dialed, dialerLink } = await pair(
      { kind: "dialer", peer: "realm2", secret: "a shared secret!" },
      { kind: "acceptor", secretFor: () => "a shared secret!" },
      timing,
    );
    await until(() => dialed.ready.length === 1);
    // Deafen the acceptor's side: it no longer reads anything, pings included.
    const acceptorSocket = sockets[0] as Socket;
    acceptorSocket.removeAllListeners("data");
    acceptorSocket.pause();
    expect(await dialerLink.closed).toBe(true);
    expect(dialed.closed).toBe(1);
  });

  it("drops the link rather than buffer without bound for a peer that stops reading", async () => {
    const { dialed, dialerLink } = await pair(
      { kind: "dialer", peer: "realm2", secret: "a shared secret!" },
      { kind: "acceptor", secretFor: () => "a shared secret!" },
      { heartbeatMs: 60_000, handshakeTimeoutMs: 1000 },
    );
    await until(() => dialed.ready.length === 1);
    const acceptorSocket = sockets[0] as Socket;
    acceptorSocket.pause();
    const text = "z".repeat(1000);
    // 40 MB of group chat for a peer that reads none of it; the link may hold 16 MiB at most.
    let peak = 0;
    for (let i = 0; i < 40_000 && !dialerLink.closedNow; i++) {
      dialerLink.send({ t: "gsay", id: `g${i}`, origin: "realm1", to: "realm2", group: "g", user: "messi", text });
      if (!dialerLink.closedNow) peak = Math.max(peak, dialerLink.bufferedBytes);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await dialerLink.closed).toBe(true);
    expect(dialed.closed).toBe(1);
    expect(peak).toBeGreaterThan(8 * 1024 * 1024);
    expect(peak).toBeLessThanOrEqual(16 * 1024 * 1024);
  }, 30_000);

  it("stops at the first bad frame of a chunk: the rest is neither read nor logged line by line", async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    server = createServer((socket) => {
      sockets.push(socket);
      new FederationLink(socket, {
        self: "realm2",
        role: { kind: "acceptor", secretFor: () => "a shared secret!" },
        handler: new Recorder(),
        scheduler,
        logger,
        label: "acceptor",
        heartbeatMs: 1000,
        handshakeTimeoutMs: 1000,
      });
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", () => r()));
    const socket = connect((server.address() as { port: number }).port, "127.0.0.1");
    sockets.push(socket);
    socket.on("error", () => undefined);
    await new Promise((r) => socket.once("connect", r));
    socket.write("junk\n".repeat(10_000));
    await new Promise((r) => socket.once("close", r));
    expect(warnings).toEqual(["malformed frame; dropping the link"]);
  });
});
