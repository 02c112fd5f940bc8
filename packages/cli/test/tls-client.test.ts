import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningRealmServer } from "@realmchat/realm-server";
import { makeSelfSignedCertificate } from "@realmchat/node-runtime";
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
    const { cert, key, fingerprint } = makeSelfSignedCertificate(dir, "realm1");
    server = await startCliTestRealm({ tls: { cert, key } });
    const address = { host: "127.0.0.1", port: server.listener.port };
    const live = await LiveClient.connect({ ...address, tls: { fingerprint } });
    expect(await live.auth("messi", "surabaya")).toMatch(/.+/);
    await live.close();
    const classic = await ClassicClient.connect({ ...address, tls: { fingerprint } });
    await classic.auth("henderson", "surabaya");
    await classic.close();
    await expect(LiveClient.connect({ ...address, tls: { fingerprint: fingerprint.replace(/^../, "00") } })).rejects.toThrow(
      /not the pinned/,
    );
  });
});
