import { describe, expect, it } from "vitest";
import type { LabEvent } from "./lab-event.ts";
import { traceAsJsonLines, traceAsMermaid } from "./trace-export.ts";
import { bridgeQueues, ClientNames, hopsOf, journeyOf, passesFilter, queueMarkOf, type QueueMark } from "./trace-model.ts";

const ID = "0193a0c2-1111-7aaa-8bbb-0123456789ab";
let n = 0;
const ev = (process: string, dir: "in" | "out", from: string, to: string, frame: string, conn = "c1"): LabEvent => ({
  n: n++,
  seq: n,
  ts: 1796460000000 + n,
  process,
  link: from.includes(":") || to.includes(":") ? "classic" : "federation",
  conn,
  from,
  to,
  dir,
  part: 0,
  frame,
});

/** messi sends james@realm2 a message: the realms and bridges record each hop at both ends. */
function crossing(): LabEvent[] {
  n = 0;
  const batch = `{"t":"batch","origin":"realm1","to":"realm2","items":[{"id":"${ID}","user":"james","text":"halo"}]}`;
  const acks = `{"t":"acks","origin":"realm1","results":[{"id":"${ID}","status":"stored"}]}`;
  return [
    ev("realm1", "in", "127.0.0.1:5000", "realm1", "auth messi •••"),
    ev("realm1", "out", "realm1", "127.0.0.1:5000", '{"status": "OK", "tokenid": "•••"}'),
    ev("realm1", "in", "127.0.0.1:5000", "realm1", "send ••• james@realm2 halo"),
    ev("realm1", "out", "realm1", "bridge-realm1", batch, "c2"),
    ev("bridge-realm1", "in", "realm1", "bridge-realm1", batch, "c1"),
    ev("bridge-realm1", "out", "bridge-realm1", "bridge-realm2", batch, "c2"),
    ev("bridge-realm2", "in", "bridge-realm1", "bridge-realm2", batch, "c1"),
    ev("bridge-realm2", "out", "bridge-realm2", "bridge-realm1", acks, "c1"),
    ev("bridge-realm1", "in", "bridge-realm2", "bridge-realm1", acks, "c2"),
    ev("bridge-realm1", "out", "bridge-realm1", "realm1", acks, "c1"),
    ev("realm1", "out", "realm1", "127.0.0.1:5000", `{"status": "OK", "message": "Message Sent", "id": "${ID}"}`),
    ev("realm1", "out", "realm1", "bridge-realm1", '{"t":"ping","ts":1}', "c2"),
  ];
}

describe("the lab page's reading of a trace", () => {
  it("shows each hop once, names a client by the user who logged in on it, and follows a message's whole journey", () => {
    const events = crossing();
    const hops = hopsOf(events, new ClientNames());
    expect(hops.map((h) => `${h.from} > ${h.to}: ${h.about.kind}`)).toEqual([
      "messi@realm1 > realm1: auth",
      "realm1 > messi@realm1: OK",
      "messi@realm1 > realm1: send",
      "realm1 > bridge-realm1: batch",
      "bridge-realm1 > bridge-realm2: batch",
      "bridge-realm2 > bridge-realm1: acks",
      "bridge-realm1 > realm1: acks",
      "realm1 > messi@realm1: OK",
      "realm1 > bridge-realm1: ping",
    ]);
    const shown = hops.filter((h) => passesFilter(h, { hideHeartbeats: true, hidePresence: true }));
    expect(shown).toHaveLength(8);
    const batch = hops[4];
    if (batch === undefined) throw new Error("no batch hop");
    const journey = journeyOf(batch, hops);
    expect(hops.filter((h) => journey.has(h.event.n)).map((h) => h.about.kind)).toEqual(["send", "batch", "batch", "acks", "acks", "OK"]);
  });

  it("tells a restarted realm's connections from the ones it had before, though it numbers them from 1 again", () => {
    n = 0;
    const names = new ClientNames();
    const before = { ...ev("realm2", "in", "127.0.0.1:5000", "realm2", "auth james •••"), seq: 5 };
    const after = { ...ev("realm2", "in", "127.0.0.1:6000", "realm2", "inbox •••"), seq: 1 };
    const hops = hopsOf([before, after], names);
    expect(hops.map((h) => h.from)).toEqual(["james@realm2", "127.0.0.1:6000 (realm2)"]);
  });

  it("counts what each bridge holds, from the frames written to it, until the peer's acks, at any point of the playback", () => {
    const marks = crossing()
      .map(queueMarkOf)
      .filter((m): m is QueueMark => m !== undefined);
    expect(bridgeQueues(marks, 4)).toEqual(
      new Map([
        ["bridge-realm1", 1],
        ["bridge-realm2", 0],
      ]),
    );
    expect(bridgeQueues(marks, 6)).toEqual(
      new Map([
        ["bridge-realm1", 1],
        ["bridge-realm2", 1],
      ]),
    );
    expect(bridgeQueues(marks, 7)).toEqual(
      new Map([
        ["bridge-realm1", 0],
        ["bridge-realm2", 1],
      ]),
    );
  });

  it("exports the trace as JSON lines and as a Mermaid sequence diagram", () => {
    const events = crossing();
    const lines = traceAsJsonLines(events).trimEnd().split("\n");
    expect(lines).toHaveLength(events.length);
    expect(JSON.parse(lines[3] as string)).toEqual(events[3]);
    const mermaid = traceAsMermaid(hopsOf(events, new ClientNames()).slice(0, 5));
    expect(mermaid).toBe(
      [
        "sequenceDiagram",
        "  participant p1 as messi@realm1",
        "  participant p2 as realm1",
        "  participant p3 as bridge-realm1",
        "  participant p4 as bridge-realm2",
        "  p1->>p2: auth: auth messi",
        "  p2-->>p1: OK: OK",
        "  p1->>p2: send: send → james@realm2: halo",
        "  p2->>p3: batch: batch realm1→realm2, 1 message(s)",
        "  p3->>p4: batch: batch realm1→realm2, 1 message(s)",
        "",
      ].join("\n"),
    );
  });
});
