import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { connect as connectTls } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeSelfSignedCertificate, parseLogLines, type SelfSignedCertificate } from "@realmchat/node-runtime";
import { collectInbox, eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function certificates(prefix = "bridge"): Map<string, SelfSignedCertificate> {
  dir ??= mkdtempSync(join(tmpdir(), "realmchat-certs-"));
  return new Map(["realm1", "realm2"].map((realm) => [realm, makeSelfSignedCertificate(dir as string, `${prefix}-${realm}`)]));
}

/** What a plain-text hello at `port` gets back within two seconds. */
function plainHelloAnswer(port: number): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write('{"t":"hello","v":2,"realm":"realm1","nonce":"nnnnnnnnnnnnnnnnnnnnnnnn"}\n'),
    );
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (text += d));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(text));
    setTimeout(() => socket.destroy(), 2000);
  });
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
    const answer = await plainHelloAnswer(t.bridge("realm2").port);
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

describe("the realm↔bridge link over TLS with a pinned certificate (a bridge on another machine)", () => {
  it("carries messages across realms, every link encrypted; the realm's federation port no longer speaks plain text", async () => {
    const bridgeCerts = certificates();
    const realmCerts = certificates("realm");
    fed = await startFederation(undefined, {
      bridgeTls: (realm) => bridgeCerts.get(realm),
      realmLinkTls: (realm) => realmCerts.get(realm),
    });
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "TLS all the way"), 15_000);
    expect((await collectInbox(james, 1)).map((e) => e.text)).toEqual(["TLS all the way"]);
    const federationPort = t.realm("realm2").federationPort as number;
    // A plain-text hello gets nothing back: a TLS server answers a non-TLS record with an alert, if anything.
    const plain = await plainHelloAnswer(federationPort);
    expect(plain).not.toContain('"t":"challenge"');
    expect(plain).not.toContain("{");
    // With TLS, the realm's port offers the certificate the bridge pins.
    expect(await servedFingerprint(federationPort)).toBe(realmCerts.get("realm2")?.fingerprint);
  }, 60_000);

  it("a bridge that finds another certificate at its realm server than the one it pins does not link", async () => {
    const realmCerts = certificates("realm");
    const stranger = makeSelfSignedCertificate(dir as string, "someone-else");
    fed = await startFederation(undefined, {
      realmLinkTls: (realm) => realmCerts.get(realm),
      realmPinFor: (realm) => (realm === "realm1" ? stranger.fingerprint : undefined),
    });
    const t = fed.topology;
    await eventually(
      () =>
        expect(parseLogLines(t.bridge("realm1").process.stderr)).toContainEqual(
          expect.objectContaining({ msg: expect.stringContaining("dial failed") as unknown, link: "realm server" }),
        ),
      15_000,
    );
    expect(t.bridge("realm1").process.stderr).toContain(`is not the pinned ${stranger.fingerprint}`);
    // realm1 has no bridge, so it never heard realm2's directory: james is unknown here.
    const messi = await t.connect("realm1", "messi", "surabaya");
    await expect(messi.send("james", "hi")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
  }, 60_000);
});

/** The SHA-256 fingerprint of the certificate a TLS server at `port` presents. */
function servedFingerprint(port: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256);
      socket.destroy();
    });
    socket.once("error", reject);
  });
}
