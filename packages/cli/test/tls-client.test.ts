import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import type { RunningRealmServer } from "@realmchat/realm-server";
import { afterEach, describe, expect, it } from "vitest";
import { ClassicClient } from "../src/classic-client.ts";
import { LiveClient } from "../src/live-client.ts";
import { startCliTestRealm } from "./test-server.ts";

let server: RunningRealmServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("clients over TLS", () => {
  it("connect to a TLS realm by pinning its certificate, and refuse another certificate", async () => {
    dir = mkdtempSync(join(tmpdir(), "realmchat-cli-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=realm1"], { stdio: "ignore" });
    const fingerprint = new X509Certificate(readFileSync(cert, "utf8")).fingerprint256;
    server = await startCliTestRealm({ tls: { cert, key } });
    const address = { host: "127.0.0.1", port: server.listener.port };
    const live = await LiveClient.connect({ ...address, tls: { fingerprint } });
    expect(await live.auth("messi", "surabaya")).toMatch(/.+/);
    await live.close();
    const classic = await ClassicClient.connect({ ...address, tls: { fingerprint } });
    await classic.auth("henderson", "surabaya");
    await classic.close();
    await expect(LiveClient.connect({ ...address, tls: { fingerprint: fingerprint.replace(/^../, "00") } })).rejects.toThrow(/not the pinned/);
  });
});
