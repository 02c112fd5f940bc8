import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeSelfSignedCertificate, type SelfSignedCertificate } from "@realmchat/node-runtime";
import { collectInbox, eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function certificates(): Map<string, SelfSignedCertificate> {
  dir = mkdtempSync(join(tmpdir(), "realmchat-certs-"));
  return new Map(["realm1", "realm2"].map((realm) => [realm, makeSelfSignedCertificate(dir as string, `bridge-${realm}`)]));
}

describe("bridge links over TLS with a pinned certificate", () => {
  it("carry messages across realms; the bridge port no longer speaks plain text", async () => {
    const certs = certificates();
    fed = await startFederation(undefined, { bridgeTls: (realm) => certs.get(realm) });
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "over TLS"), 15_000);
    expect((await collectInbox(james, 1)).map((e) => e.text)).toEqual(["over TLS"]);
    // A plain-text hello at realm2's bridge port gets no federation frame back.
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(t.bridge("realm2").port, "127.0.0.1", () =>
        socket.write('{"t":"hello","v":2,"realm":"realm1","nonce":"nnnnnnnnnnnnnnnnnnnnnnnn"}\n'),
      );
      let text = "";
      socket.setEncoding("latin1");
      socket.on("data", (d: string) => (text += d));
      socket.on("error", () => undefined);
      socket.on("close", () => resolve(text));
      setTimeout(() => socket.destroy(), 2000);
    });
    expect(answer).not.toContain('"t":"challenge"');
  }, 60_000);

  it("a bridge that finds another certificate than the one it pins does not link", async () => {
    const certs = certificates();
    const stranger = makeSelfSignedCertificate(dir as string, "someone-else");
    fed = await startFederation(undefined, { bridgeTls: (realm) => certs.get(realm), pinFor: () => stranger.fingerprint });
    const t = fed.topology;
    await eventually(() => expect(t.bridge("realm1").process.stderr).toMatch(/is not the pinned/), 15_000);
    const messi = await t.connect("realm1", "messi", "surabaya");
    // No link, so no directory of realm2 ever arrived: james is unknown here.
    await expect(messi.send("james", "hi")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
  }, 60_000);
});
