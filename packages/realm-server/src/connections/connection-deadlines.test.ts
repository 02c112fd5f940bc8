import { describe, expect, it } from "vitest";
import { ConnectionDeadlines } from "./connection-deadlines.ts";

const limits = { partialLineTimeoutMs: 1000, unauthenticatedTimeoutMs: 60_000 };

describe("ConnectionDeadlines", () => {
  it("closes a line left unfinished while no line ends, however the bytes drip in", () => {
    const d = new ConnectionDeadlines(limits, 0);
    expect(d.check(500, { bufferedBytes: 2, framesEnded: 0 }, false)).toBeUndefined();
    expect(d.check(1000, { bufferedBytes: 3, framesEnded: 0 }, false)).toBeUndefined();
    expect(d.check(1600, { bufferedBytes: 4, framesEnded: 0 }, false)).toBe("partial-line");
  });

  it("never closes a client whose buffer holds part of a line at every sweep while whole lines keep ending", () => {
    const d = new ConnectionDeadlines(limits, 0);
    d.authenticated();
    for (let t = 0, frames = 0; t < 100_000; t += 700, frames += 35) {
      expect(d.check(t, { bufferedBytes: 17, framesEnded: frames }, false)).toBeUndefined();
    }
  });

  it("does not count the time the server itself was not reading the client", () => {
    const d = new ConnectionDeadlines(limits, 0);
    expect(d.check(0, { bufferedBytes: 9, framesEnded: 5 }, true)).toBeUndefined();
    expect(d.check(5000, { bufferedBytes: 9, framesEnded: 5 }, true)).toBeUndefined();
    expect(d.check(5500, { bufferedBytes: 9, framesEnded: 5 }, false)).toBeUndefined();
    expect(d.check(6600, { bufferedBytes: 9, framesEnded: 5 }, false)).toBe("partial-line");
  });

  it("closes a connection that never logs in, and not one that did", () => {
    const idle = new ConnectionDeadlines(limits, 0);
    expect(idle.check(60_001, { bufferedBytes: 0, framesEnded: 0 }, false)).toBe("unauthenticated");
    const member = new ConnectionDeadlines(limits, 0);
    member.authenticated();
    expect(member.check(60_001, { bufferedBytes: 0, framesEnded: 0 }, false)).toBeUndefined();
  });
});
