import { parsePrometheusText, sampleValue, type Scrape } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, SEED_REALMS, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

async function get(base: string | undefined, path: string): Promise<{ status: number; text: string }> {
  if (base === undefined) throw new Error("this process has no metrics listener");
  const response = await fetch(`${base}${path}`);
  return { status: response.status, text: await response.text() };
}

async function scrape(base: string | undefined): Promise<Scrape> {
  const { status, text } = await get(base, "/metrics");
  expect(status).toBe(200);
  return parsePrometheusText(text);
}

describe("metrics and health of every process (config `metrics`, --metrics-port)", () => {
  it("each realm and bridge is scraped and parsed; /readyz follows the bridge as it is killed and restarted", async () => {
    fed = await startFederation(SEED_REALMS, {}, { metrics: true });
    const { topology } = fed;
    const processes = [
      ...[...topology.realms.values()].map((r) => ({ name: r.name, role: "realm", url: r.metricsUrl })),
      ...[...topology.bridges.values()].map((b) => ({ name: `bridge-${b.name}`, role: "bridge", url: b.metricsUrl })),
    ];
    expect(processes.map((p) => p.name).sort()).toEqual(["bridge-realm1", "bridge-realm2", "realm1", "realm2"]);
    for (const p of processes) {
      await eventually(
        async () => expect(await get(p.url, "/readyz")).toEqual({ status: 200, text: "ready\n" }),
        15_000,
        `${p.name} ready`,
      );
      expect(await get(p.url, "/healthz")).toEqual({ status: 200, text: "ok\n" });
    }

    const messi = await topology.connect("realm1", "messi", "surabaya");
    const james = await topology.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "one for the metrics"));
    await james.send("messi@realm1", "and one back");

    for (const p of processes) {
      const s = await scrape(p.url);
      // Every sample names its process; each has the process's own metrics too.
      expect(s.samples.every((sample) => sample.labels.role === p.role && sample.labels.name === p.name)).toBe(true);
      expect(s.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
      expect(s.types.get("process_resident_memory_bytes")).toBe("gauge");
      expect(s.types.get("realmchat_commit_seconds")).toBe("histogram");
    }
    const realm1 = await scrape(topology.realm("realm1").metricsUrl);
    expect(sampleValue(realm1, "realmchat_messages_total", { kind: "private", direction: "out", peer: "realm" })).toBe(1);
    expect(sampleValue(realm1, "realmchat_bridge_linked")).toBe(1);
    expect(sampleValue(realm1, "realmchat_peer_realms_up")).toBe(1);
    const realm2 = await eventually(async () => {
      const s = await scrape(topology.realm("realm2").metricsUrl);
      expect(sampleValue(s, "realmchat_messages_total", { kind: "private", direction: "in", peer: "realm" })).toBe(1);
      return s;
    });
    expect(sampleValue(realm2, "realmchat_messages_total", { kind: "private", direction: "in", peer: "client" })).toBe(1);
    const bridge1 = await scrape(topology.bridge("realm1").metricsUrl);
    expect(sampleValue(bridge1, "realmchat_messages_total", { direction: "out" })).toBe(1);
    expect(sampleValue(bridge1, "realmchat_bridge_link_up", { link: "realm", realm: "realm1" })).toBe(1);
    expect(sampleValue(bridge1, "realmchat_bridge_link_up", { link: "peer", realm: "realm2" })).toBe(1);
    expect(sampleValue(bridge1, "realmchat_bridge_queued_messages", { realm: "realm2" })).toBe(0);
    expect(sampleValue(bridge1, "realmchat_bridge_frames_total", { from: "realm", type: "directory" })).toBeGreaterThanOrEqual(1);

    // Bridge 1 dies: realm1 is alive but not ready; bridge 2 sees its peer go.
    const realm1Url = topology.realm("realm1").metricsUrl;
    await topology.bridge("realm1").process.kill();
    await eventually(async () => expect(await get(realm1Url, "/readyz")).toEqual({ status: 503, text: "not ready: bridge not linked\n" }));
    expect(await get(realm1Url, "/healthz")).toEqual({ status: 200, text: "ok\n" });
    await eventually(async () => {
      const s = await scrape(topology.bridge("realm2").metricsUrl);
      expect(sampleValue(s, "realmchat_bridge_link_up", { link: "peer", realm: "realm1" })).toBe(0);
    });
    // A message to the other realm waits in realm1's outbox, which its gauge shows.
    await messi.send("james", "while the bridge is down");
    expect(sampleValue(await scrape(realm1Url), "realmchat_outbox_messages")).toBe(1);

    const restarted = await topology.restartBridge("realm1");
    expect(restarted.metricsUrl).toBe(processes.find((p) => p.name === "bridge-realm1")?.url);
    await eventually(async () => expect(await get(realm1Url, "/readyz")).toEqual({ status: 200, text: "ready\n" }), 15_000, "realm1 ready");
    await eventually(async () => expect(sampleValue(await scrape(realm1Url), "realmchat_outbox_messages")).toBe(0));
    await eventually(async () => expect(await get(restarted.metricsUrl, "/readyz")).toEqual({ status: 200, text: "ready\n" }));
  });
});
