import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { hashPassword, startRealmServer, type RealmLimits, type RunningRealmServer } from "../src/index.ts";
import { LiveWire } from "./live-client.ts";
import { eventually } from "./support/eventually.ts";

let server: RunningRealmServer | undefined;
let dir: string | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(limits: Partial<RealmLimits> = {}): Promise<{ web: number; tcp: number }> {
  dir = await mkdtemp(join(tmpdir(), "realm-web-"));
  await mkdir(join(dir, "client"));
  await writeFile(join(dir, "client", "index.html"), "<!doctype html><title>realmchat</title>");
  const passwordHash = await hashPassword("surabaya");
  server = await startRealmServer({
    config: {
      realm: "realm1",
      host: undefined,
      port: undefined,
      users: ["messi", "henderson"].map((username) => ({ username, displayName: username, passwordHash })),
      web: { host: "127.0.0.1", port: 0, allowOrigins: ["https://chat.example"] },
    },
    host: "127.0.0.1",
    port: 0,
    dataDir: join(dir, "data"),
    webClientDir: join(dir, "client"),
    limits,
  });
  return { web: server.webListener?.port as number, tcp: server.listener.port };
}

/** A browser-like client: what it receives, frame by frame, each parsed as one JSON value. */
async function browser(port: number, origin = `http://127.0.0.1:${port}`): Promise<{ ws: WebSocket; frames: unknown[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { origin });
  sockets.push(ws);
  const frames: unknown[] = [];
  ws.on("message", (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, frames };
}

const refusal = (port: number, origin: string | undefined, path = "/live"): Promise<number> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, origin === undefined ? {} : { origin });
    ws.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    ws.once("open", () => reject(new Error("the handshake was accepted")));
    ws.once("error", () => undefined);
  });

const closeCode = (ws: WebSocket): Promise<number> => new Promise((resolve) => ws.once("close", (code) => resolve(code)));

describe("the live protocol over WebSocket", () => {
  it("carries one JSON frame per text frame, to and from clients on TCP", async () => {
    const { web, tcp } = await start();
    const { ws, frames } = await browser(web);
    ws.send(JSON.stringify({ id: 1, op: "auth", user: "messi", password: "surabaya" }));
    await eventually(() => expect(frames).toContainEqual(expect.objectContaining({ re: 1, ok: true, user: "messi" })));
    const henderson = await LiveWire.connect(tcp);
    await henderson.ok("auth", { user: "henderson", password: "surabaya" });
    // Two requests in quick succession: two frames each way, never one frame holding two.
    ws.send(JSON.stringify({ id: 2, op: "send", to: "henderson", text: "dari browser" }));
    ws.send(JSON.stringify({ id: 3, op: "groups" }));
    await henderson.event((e) => e.ev === "message" && e.text === "dari browser");
    await henderson.ok("send", { to: "messi", text: "dari terminal" });
    await eventually(() =>
      expect(frames).toContainEqual(expect.objectContaining({ ev: "message", from: "henderson", text: "dari terminal" })),
    );
    expect(frames).toContainEqual(expect.objectContaining({ re: 2, ok: true }));
    expect(frames).toContainEqual(expect.objectContaining({ re: 3, ok: true }));
    henderson.close();
  });

  it("refuses a page of another site, a handshake without an Origin and any other path; an allowed origin gets in", async () => {
    const { web } = await start();
    expect(await refusal(web, "http://evil.example")).toBe(403);
    expect(await refusal(web, undefined)).toBe(403);
    expect(await refusal(web, `http://127.0.0.1:${web}`, "/other")).toBe(404);
    const { ws, frames } = await browser(web, "https://chat.example");
    ws.send(JSON.stringify({ id: 1, op: "hello", v: 2 }));
    await eventually(() => expect(frames).toContainEqual(expect.objectContaining({ re: 1, ok: true })));
  });

  it("closes a connection that sends a frame over the limit or a binary frame; the others are served", async () => {
    const { web } = await start({ maxFrameBytes: 1024 });
    const big = await browser(web);
    const closedBig = closeCode(big.ws);
    big.ws.send(JSON.stringify({ id: 1, op: "send", to: "henderson", text: "x".repeat(2000) }));
    expect(await closedBig).toBe(1009);
    const binary = await browser(web);
    const closedBinary = closeCode(binary.ws);
    binary.ws.send(Buffer.from('{"id":1,"op":"hello","v":2}'));
    expect(await closedBinary).toBe(1003);
    const other = await browser(web);
    other.ws.send(JSON.stringify({ id: 7, op: "auth", user: "henderson", password: "surabaya" }));
    await eventually(() => expect(other.frames).toContainEqual(expect.objectContaining({ re: 7, ok: true })));
  });

  it("lets go of a browser that stops reading, as of a TCP client, and keeps serving the sender", async () => {
    const { web, tcp } = await start({ maxOutboundBytes: 64 * 1024, outputHighWaterBytes: 16 * 1024, slowReaderTimeoutMs: 1000 });
    const { ws, frames } = await browser(web);
    ws.send(JSON.stringify({ id: 1, op: "auth", user: "messi", password: "surabaya" }));
    await eventually(() => expect(frames).toContainEqual(expect.objectContaining({ re: 1, ok: true })));
    ws.pause();
    const henderson = await LiveWire.connect(tcp);
    await henderson.ok("auth", { user: "henderson", password: "surabaya" });
    // More than the kernel's buffers on both ends of a loopback connection hold (several MB).
    const text = "z".repeat(8000);
    for (let i = 0; i < 1500; i++) henderson.writeRaw(`${JSON.stringify({ id: 100 + i, op: "send", to: "messi", text })}\n`);
    await henderson.reply(1599);
    // Pushes stop at the limit; a reader that takes nothing for the slow-reader time is let go.
    await eventually(() => expect(server?.realm.connectionCount).toBe(1), 15_000);
    expect(await henderson.ok("groups")).toMatchObject({ ok: true });
    henderson.close();
  });

  it("serves the client's page with a script policy, and nothing outside its folder", async () => {
    const { web } = await start();
    const fetchPath = (path: string): Promise<{ status: number; csp: string | undefined; body: string }> =>
      new Promise((resolve, reject) => {
        get({ host: "127.0.0.1", port: web, path }, (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (d: string) => (body += d));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, csp: response.headers["content-security-policy"] as string | undefined, body }),
          );
        }).on("error", reject);
      });
    const page = await fetchPath("/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<title>realmchat</title>");
    expect(page.csp).toContain("script-src 'self'");
    expect(page.csp).not.toContain("unsafe-inline");
    // The realm's database sits beside the client's folder: a path that climbs out is not served.
    expect((await fetchPath("/%2e%2e/data/realm.db")).status).toBe(404);
    expect((await fetchPath("/..%2fdata%2frealm.db")).status).toBe(404);
    expect((await fetchPath("/missing.js")).status).toBe(404);
  });
});
