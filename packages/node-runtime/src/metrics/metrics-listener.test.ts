import { Counter } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { LogFields, Logger } from "../logger.ts";
import type { TcpListener } from "../tcp-listen.ts";
import { listenMetrics } from "./metrics-listener.ts";
import { ProcessMetrics } from "./process-metrics.ts";
import { parsePrometheusText, PrometheusTextError, sampleValue } from "./prometheus-text.ts";

let listener: TcpListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: LogFields): void => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe("the metrics listener", () => {
  it("serves the registry as Prometheus text, /healthz, and /readyz with the reasons it is not ready", async () => {
    const own = new ProcessMetrics({ role: "test", name: "one" }, { host: "127.0.0.1", port: 0 });
    const registry = own.registry;
    own.observeCommit(0.003);
    const hits = new Counter({ name: "test_hits_total", help: "Hits.", labelNames: ["kind"], registers: [registry] });
    hits.inc({ kind: "a" }, 3);
    let reasons: string[] = [];
    listener = await own.listen(async () => reasons, recordingLogger());
    const base = `http://127.0.0.1:${listener.port}`;

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const scrape = parsePrometheusText(await metrics.text());
    expect(scrape.types.get("test_hits_total")).toBe("counter");
    expect(sampleValue(scrape, "test_hits_total", { kind: "a", role: "test", name: "one" })).toBe(3);
    // The process's own: event-loop lag, heap, GC.
    expect(scrape.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    expect(sampleValue(scrape, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(scrape.types.get("nodejs_gc_duration_seconds")).toBe("histogram");
    expect(sampleValue(scrape, "realmchat_commit_seconds_bucket", { le: "0.005" })).toBe(1);
    expect(sampleValue(scrape, "realmchat_commit_seconds_bucket", { le: "0.0025" })).toBe(0);

    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, "ready\n"]);
    reasons = ["bridge not linked", "store unreachable (timeout)"];
    const notReady = await fetch(`${base}/readyz`);
    expect([notReady.status, await notReady.text()]).toEqual([503, "not ready: bridge not linked; store unreachable (timeout)\n"]);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: "POST", body: "x" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });

  it("answers 500 when a check fails, logs it once, and goes on serving", async () => {
    const logger = recordingLogger();
    let fail = true;
    listener = await listenMetrics({
      host: "127.0.0.1",
      port: 0,
      registry: new ProcessMetrics({ role: "test", name: "two" }, { host: "127.0.0.1", port: 0 }).registry,
      readiness: async () => {
        if (fail) throw new Error("the check broke");
        return [];
      },
      logger,
    });
    const base = `http://127.0.0.1:${listener.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(500);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain("the check broke");
    fail = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("parsePrometheusText", () => {
  it("reads types, help, labels with escapes, special values and timestamps", () => {
    const scrape = parsePrometheusText(
      [
        "# HELP a_total Things, counted.",
        "# TYPE a_total counter",
        'a_total{k="x \\"q\\" \\\\ \\n",j="2"} 5 1700000000000',
        "# TYPE b gauge",
        "b NaN",
        'b_bucket{le="+Inf"} +Inf',
        "",
      ].join("\n"),
    );
    expect(scrape.help.get("a_total")).toBe("Things, counted.");
    expect(scrape.samples[0]).toEqual({ name: "a_total", labels: { k: 'x "q" \\ \n', j: "2" }, value: 5 });
    expect(Number.isNaN(sampleValue(scrape, "b"))).toBe(true);
    expect(sampleValue(scrape, "b_bucket", { le: "+Inf" })).toBe(Infinity);
  });

  it.each([
    ["no final line break", "a 1"],
    ["a bad name", "1a 1\n"],
    ["no value", "a\n"],
    ["a value that is not a number", "a one\n"],
    ["an unquoted label", "a{k=x} 1\n"],
    ["an unclosed label", 'a{k="x} 1\n'],
    ["a bad type", "# TYPE a countr\n"],
    ["two types", "# TYPE a gauge\n# TYPE a gauge\n"],
    ["junk after the value", "a 1 2 3\n"],
  ])("refuses %s", (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow(PrometheusTextError);
  });
});
