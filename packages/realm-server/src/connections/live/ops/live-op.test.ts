import type { LiveOp, LiveResult, RequestId } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { LaterReply, type LaterReplyListener } from "./live-op.ts";

class Heard implements LaterReplyListener {
  readonly events: string[] = [];
  replied(re: RequestId, result: LiveResult<LiveOp>): void {
    this.events.push(`replied ${re} ${JSON.stringify(result)}`);
  }
  refused(re: RequestId, error: unknown): void {
    this.events.push(`refused ${re} ${String(error)}`);
  }
}

describe("LaterReply", () => {
  it("tells its listener once, whether the outcome comes before or after it listens", () => {
    const early = new LaterReply<"send">();
    early.resolve({ msgId: "m1", queued: false });
    early.reject(new Error("too late"));
    const heardEarly = new Heard();
    early.listen(heardEarly, 7);
    expect(heardEarly.events).toEqual(['replied 7 {"msgId":"m1","queued":false}']);

    const late = new LaterReply<"send">();
    const heardLate = new Heard();
    late.listen(heardLate, "a");
    expect(heardLate.events).toEqual([]);
    late.reject(new Error("no"));
    late.resolve({ msgId: "m2", queued: true });
    expect(heardLate.events).toEqual(["refused a Error: no"]);
  });
});
