import { mkdtempSync, rmSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { makeSelfSignedCertificate } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { hashPassword, startRealmServer, type RunningRealmServer } from "../src/index.ts";

let server: RunningRealmServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function exchange(socket: { write(t: string): unknown; on(e: "data", f: (d: Buffer) => void): unknown }, line: string): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (text.endsWith("\r\n\r\n")) resolve(text);
    });
    socket.write(line);
  });
}

describe("TLS on the client port", () => {
  it("serves the classic protocol over TLS to a client that pins the certificate, and nothing in plain text", async () => {
    dir = mkdtempSync(join(tmpdir(), "realmchat-tls-"));
    const { cert, key, fingerprint: pin } = makeSelfSignedCertificate(dir, "realm1");
    const users = [{ username: "messi", displayName: "Lionel Messi", passwordHash: await hashPassword("surabaya") }];
    server = await startRealmServer({
      config: { realm: "realm1", host: undefined, port: undefined, users, tls: { cert, key } },
      host: "127.0.0.1",
      port: 0,
      dataDir: join(dir, "data"),
    });
    const socket = await new Promise<ReturnType<typeof connect>>((resolve) => {
      const s = connect({ host: "127.0.0.1", port: (server as RunningRealmServer).listener.port, rejectUnauthorized: false }, () =>
        resolve(s),
      );
    });
    expect(socket.getPeerCertificate().fingerprint256).toBe(pin);
    expect(await exchange(socket, "auth messi surabaya\r\n")).toMatch(/"status": "OK", "tokenid"/);
    socket.destroy();
    const plain = connectTcp(server.listener.port, "127.0.0.1");
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      plain.on("data", (d) => (text += d.toString("latin1")));
      plain.on("error", () => undefined);
      plain.on("close", () => resolve(text));
      plain.write("auth messi surabaya\r\n");
      setTimeout(() => plain.destroy(), 1500);
    });
    expect(answer).not.toContain("tokenid");
  });
});
