import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LiveClient } from "@realmchat/cli";
import type { LiveEvent, TapEvent } from "@realmchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { TapCollector, tapEventsIn } from "../src/lab-view/tap-collector.ts";
import { eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Every string value in the realms' and bridges' config files whose key names a secret. */
async function configSecrets(dir: string): Promise<string[]> {
  const secrets: string[] = [];
  const walk = (value: unknown, key = ""): void => {
    if (typeof value === "string" && /secret/i.test(key)) secrets.push(value);
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const name of ["realm1", "realm2"]) {
    walk(JSON.parse(await readFile(join(dir, `${name}.json`), "utf8")));
    walk(JSON.parse(await readFile(join(dir, `bridge-${name}.json`), "utf8")));
  }
  return secrets;
}

describe("the tap of every realm and bridge", () => {
  it("shows one private message on each link of its way across realms, every link's protocol, and no secret", async () => {
    const fed: FederationFixture = await startFederation(undefined, {}, { tap: true });
    closers.push(() => fed.close());
    const t = fed.topology;
    const events: TapEvent[] = [];
    const collector = new TapCollector((data) => {
      const message = tapEventsIn(data.toString());
      if ("kind" in message) throw new Error(`a tap message not in the tap's format: ${message.kind} at ${message.at}`);
      events.push(...message.events);
    });
    closers.push(() => collector.close());
    for (const r of t.realms.values()) await collector.attach(r.name, r.tapUrl as string);
    for (const b of t.bridges.values()) await collector.attach(`bridge-${b.name}`, b.tapUrl as string);

    const pushed: LiveEvent[] = [];
    const james = await LiveClient.connect(t.realm("realm2"), (e) => pushed.push(e));
    closers.push(() => james.close());
    const jamesToken = await james.auth("james", "medan");
    const messi = await t.connect("realm1", "messi", "surabaya");
    const sent = await eventually(() => messi.send("james@realm2", "halo dari realm1"));
    const message = await eventually(() => {
      const found = pushed.find((e) => e.ev === "message");
      if (found === undefined) throw new Error("not pushed yet");
      return found as { msgId: string };
    });
    expect(message.msgId).toBe(sent.id);
    await james.ack(message.msgId);
    const hops = (): string[] =>
      events.filter((e) => e.frame.includes(message.msgId)).map((e) => `${e.process} ${e.dir} ${e.from}>${e.to} ${e.link}`);
    // The message's way, each hop seen by both ends, and the "stored" back from realm2's client.
    await eventually(() => {
      for (const hop of [
        "realm1 out realm1>bridge-realm1 federation",
        "bridge-realm1 in realm1>bridge-realm1 federation",
        "bridge-realm1 out bridge-realm1>bridge-realm2 federation",
        "bridge-realm2 in bridge-realm1>bridge-realm2 federation",
        "bridge-realm2 out bridge-realm2>realm2 federation",
        "realm2 in bridge-realm2>realm2 federation",
        "realm2 out realm2>127.0.0.1",
        "realm2 in 127.0.0.1",
      ])
        if (!hops().some((h) => h.startsWith(hop))) throw new Error(`no '${hop}' in ${JSON.stringify(hops(), null, 1)}`);
    });
    expect(new Set(events.map((e) => e.link))).toEqual(new Set(["classic", "live", "federation"]));
    expect(new Set(events.map((e) => e.process))).toEqual(new Set(["realm1", "realm2", "bridge-realm1", "bridge-realm2"]));
    // Each process numbers its records from 1 without a gap (a record is one write or read: one or more frames).
    for (const p of ["realm1", "realm2", "bridge-realm1", "bridge-realm2"]) {
      const seqs = [...new Set(events.filter((e) => e.process === p).map((e) => e.seq))];
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }

    const trace = JSON.stringify(events);
    const secrets = [...(await configSecrets(fed.dir)), "surabaya", "medan", jamesToken, messi.token as string];
    expect(secrets.filter((s) => s.length > 0).filter((s) => trace.includes(s))).toEqual([]);
    // Were the secrets there to find: the auth requests and the handshakes were recorded, masked.
    expect(events.some((e) => e.link === "classic" && e.frame.startsWith("auth messi"))).toBe(true);
    expect(events.some((e) => e.link === "federation" && e.frame.includes('"t":"prove"'))).toBe(true);
  }, 60_000);
});
