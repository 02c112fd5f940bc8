import { createServer } from "node:net";
import type { FederationLink, LogFields, Logger } from "@realmchat/node-runtime";
import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.ts";
import { LinkOutageLog } from "./link-outage-log.ts";
import { Redialer } from "./redialer.ts";

/** The log lines a process would write, kept to be read. */
class KeptLog implements Logger {
  readonly lines: { level: string; message: string; fields: LogFields }[] = [];
  debug(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: "debug", message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: "info", message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: "warn", message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: "error", message, fields });
  }
}

/** A port on 127.0.0.1 that nothing listens on (taken from the OS, then let go). */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("a link that stays down", () => {
  it("is reported once when it goes down and then at most once per report interval, however often it is dialed", async () => {
    const log = new KeptLog();
    const port = await refusingPort();
    const makeLink = (): FederationLink => {
      throw new Error("nothing listens there: no link is made");
    };
    const redialer = new Redialer({ host: "127.0.0.1", port }, makeLink, new Backoff({ initialMs: 2, maxMs: 10 }), log, "peer realm9", 250);
    redialer.start();
    await new Promise((r) => setTimeout(r, 900));
    redialer.stop();
    const warnings = log.lines.filter((l) => l.level === "warn");
    expect(warnings[0]?.message).toMatch(/^dial failed/);
    const later = warnings.slice(1);
    expect(later.every((l) => l.message === "still unreachable")).toBe(true);
    expect(later.length).toBeGreaterThanOrEqual(2);
    expect(later.length).toBeLessThanOrEqual(4);
    const failed = Number(later.at(-1)?.fields.failed_dials);
    expect(failed).toBeGreaterThan(20);
    expect(log.lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("starts a new outage, reported at once, after a link that was up has ended", () => {
    const log = new KeptLog();
    let now = 0;
    const outage = new LinkOutageLog(log, "peer realm9", 60_000, () => now);
    outage.dialFailed("ECONNREFUSED");
    now += 1_000;
    outage.dialFailed("ECONNREFUSED");
    now += 60_000;
    outage.dialFailed("ECONNREFUSED");
    outage.linkEnded(200);
    outage.dialFailed("ECONNRESET");
    expect(log.lines.map((l) => [l.message.split(";")[0], l.fields.failed_dials, l.fields.error])).toEqual([
      ["dial failed", undefined, "ECONNREFUSED"],
      ["still unreachable", 3, "ECONNREFUSED"],
      ["link ended", undefined, undefined],
      ["dial failed", undefined, "ECONNRESET"],
    ]);
  });
});
