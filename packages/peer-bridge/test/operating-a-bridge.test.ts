import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { fileURLToPath } from "node:url";
import { makeSelfSignedCertificate, parseLogLines as logEntries } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import type { BridgeStatus } from "../src/bridge-status.ts";

const BIN = fileURLToPath(new URL("../src/bin/peer-bridge.ts", import.meta.url));
const SECRET = "0f3a9c1e7b2d4856a0c3e9f1b7d24c6e8a1f3b5d7c9e0a2b4c6d8e0f1a3b5c7d";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

/** The SHA-256 fingerprint of the certificate served at `port` now. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? "none");
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

function runBin(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=@realmchat/source", BIN, ...args], { stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("operating a running bridge", () => {
  it("SIGHUP: runs on, dials a peer added, serves a renewed certificate, names what needs a restart; status shows each link", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bridge-reload-"));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const before = makeSelfSignedCertificate(dir, "before");
    const cert = join(dir, "bridge.cert.pem");
    const key = join(dir, "bridge.key.pem");
    await copyFile(before.cert, cert);
    await copyFile(before.key, key);
    // Where the new peer realm3's bridge would be: a listener that keeps what it is sent.
    let heard = "";
    const realm3: Server = createServer((socket) => socket.on("data", (d: Buffer) => (heard += d.toString())));
    await new Promise<void>((resolve) => realm3.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => realm3.close(resolve)));
    const config = join(dir, "bridge.json");
    const base = {
      realm: "realm1",
      listen: { host: "127.0.0.1", port: 9889 },
      realmServer: { host: "127.0.0.1", port: await closedPort(), secret: SECRET },
      peers: [{ realm: "realm2", host: "127.0.0.1", port: await closedPort(), secret: SECRET }],
      tls: { cert, key },
    };
    await writeFile(config, JSON.stringify(base));
    const child: ChildProcess = spawn(
      process.execPath,
      ["--conditions=@realmchat/source", BIN, "run", "-c", config, "--listen-port", "0", "-d", join(dir, "data")],
      { stdio: "pipe" },
    );
    closers.push(() => child.kill("SIGKILL"));
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await until("the bridge listening", () => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
      return m === null ? undefined : Number(m[1]);
    });
    expect(await servedFingerprint(port)).toBe(before.fingerprint);

    const renewed = makeSelfSignedCertificate(dir, "renewed");
    await copyFile(renewed.cert, cert);
    await copyFile(renewed.key, key);
    const { port: realm3Port } = realm3.address() as { port: number };
    const peers = [...base.peers, { realm: "realm3", host: "127.0.0.1", port: realm3Port, secret: SECRET }];
    await writeFile(config, JSON.stringify({ ...base, listen: { host: "127.0.0.2", port: 9889 }, peers }));
    child.kill("SIGHUP");

    await until("realm3 dialed, with the bridge's hello", () => (/"t":"hello".*"realm":"realm1"/.test(heard) ? true : undefined));
    expect(await servedFingerprint(port)).toBe(renewed.fingerprint);
    const reload = await until("the reload logged", () => logEntries(stderr).find((e) => e.msg === "config read again"));
    expect(reload).toMatchObject({ level: "info", role: "bridge", name: "realm1" });
    expect(reload.applied).toContain("peer realm3 added");
    expect(reload.applied).toContain("certificate read again");
    // Where it listens is the config's as the command line overrides it (--listen-port 0).
    expect(reload.needs_restart).toBe("listen 127.0.0.1:0 → 127.0.0.2:0");
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();

    // `peer-bridge status`: each link, since when, failed dials and the last error, each queue.
    const status = await runBin(["status", "-d", join(dir, "data"), "--json"]);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout) as BridgeStatus;
    expect(s.realm).toBe("realm1");
    expect(s.realmServer).toMatchObject({ linked: false, lastError: expect.stringContaining("ECONNREFUSED") as unknown });
    expect(s.realmServer.failedDials).toBeGreaterThan(0);
    expect(s.peers.map((p) => [p.realm, p.linked, p.queued])).toEqual([
      ["realm2", false, 0],
      ["realm3", false, 0],
    ]);
    const shown = await runBin(["status", "-d", join(dir, "data")]);
    expect(shown.stdout).toContain("bridge of realm realm1, up");
    expect(shown.stdout).toMatch(/peer realm2: down since \d\d:\d\d:\d\d, \d+ failed dials? \(last: connect ECONNREFUSED/);

    // A config that cannot be read is logged, and the bridge runs on as it was.
    await writeFile(config, "{ not json");
    child.kill("SIGHUP");
    await until("the failed reload logged", () => logEntries(stderr).find((e) => e.msg === "config not read again; running on as before"));
    expect(await servedFingerprint(port)).toBe(renewed.fingerprint);
    expect(child.exitCode).toBeNull();
  }, 60_000);

  it("status says plainly that no bridge runs on a folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bridge-status-"));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const status = await runBin(["status", "-d", dir]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("no bridge is running there");
  });
});
