import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFederationFrame } from "./decode.ts";
import { encodeFederationFrame, type FederationFrame } from "./frames.ts";

const samples: FederationFrame[] = [
  { t: "hello", v: 1, realm: "realm1", nonce: "abcdefghijklmnopqrstuvwx" },
  { t: "challenge", realm: "realm2", nonce: "n".repeat(32) },
  {
    t: "directory",
    realm: "realm2",
    users: [{ user: "james", name: "James Maranata" }],
    groups: [{ name: "batak", created: 1764000000000 }],
  },
  { t: "peer", realm: "realm2", up: false },
  { t: "dm", id: "u-1", origin: "realm1", to: "realm2", from: "messi", fromName: "Lionel Messi", user: "james", text: "hé 👋", sentAt: 1 },
  { t: "ack", id: "u-1", origin: "realm1", status: "rejected", code: "USER_NOT_FOUND", message: "no" },
  { t: "gevent", id: "e", origin: "realm1", to: "realm2", group: "batak", kind: "message", user: "messi", realm: "realm1", text: "hi" },
  { t: "batch", origin: "realm1", to: "realm2", items: [{ id: "a", from: "messi", fromName: "M", user: "james", text: "x", sentAt: 1 }] },
  {
    t: "acks",
    origin: "realm1",
    results: [
      { id: "a", status: "stored" },
      { id: "b", status: "rejected", code: "USER_NOT_FOUND", message: "no" },
    ],
  },
  { t: "gleave", id: "l", origin: "realm2", to: "realm1", group: "batak", user: "james", forget: true },
  { t: "gwho", id: "w", origin: "realm2", to: "realm1", group: "batak", user: "james" },
  { t: "gfind", id: "f", origin: "realm2", to: "realm1", group: "batak" },
  { t: "gwhere", id: "h", origin: "realm1", to: "realm2", group: "batak", home: "realm3", user: "james", text: "again" },
  { t: "gwhere", id: "h2", origin: "realm1", to: "realm2", group: "nothing" },
  {
    t: "gmerge",
    id: "m",
    origin: "realm2",
    to: "realm1",
    group: "batak",
    created: 7,
    members: [{ user: "james", realm: "realm2" }],
    history: [{ kind: "joined", user: "james", realm: "realm2", ts: 7 }],
  },
  { t: "gmerged", id: "m2", origin: "realm1", to: "realm2", group: "batak" },
  {
    t: "groster",
    id: "r",
    origin: "realm1",
    to: "realm2",
    group: "batak",
    members: [{ user: "messi", realm: "realm1" }],
    online: [],
    history: [{ kind: "message", user: "messi", realm: "realm1", text: "hi", ts: 5 }],
  },
  { t: "undelivered", id: "a", origin: "realm1", to: "realm1", from: "messi", user: "james", text: "x", sentAt: 1, reason: "expired" },
];

describe("federation frames", () => {
  it.each(samples)("round-trips $t", (frame) => {
    const line = encodeFederationFrame(frame);
    expect(line.endsWith("\n")).toBe(true);
    expect(decodeFederationFrame(line.slice(0, -1))).toEqual({ ok: true, frame });
  });

  it("rejects bad frames with a typed error and drops undeclared fields", () => {
    const bad = [
      "nope",
      "[]",
      '{"t":"launch"}',
      '{"t":"dm","id":"x","origin":"bad name","to":"r","from":"a","fromName":"A","user":"b","text":"t","sentAt":1}',
      '{"t":"ack","id":"x","origin":"r","status":"maybe"}',
      '{"t":"gevent","id":"x","origin":"r","to":"s","group":"g","kind":"explode","user":"u","realm":"r"}',
      '{"t":"directory","realm":"r","users":[{"user":"a b","name":"x"}],"groups":[]}',
      // Groups in a directory carry their creation time (the merge rule needs it).
      '{"t":"directory","realm":"r","users":[],"groups":["g"]}',
      '{"t":"gwhere","id":"x","origin":"r","to":"s","group":"g","home":"bad name"}',
      '{"t":"batch","origin":"r","to":"s","items":[]}',
      '{"t":"batch","origin":"r","to":"s","items":[{"id":"a","from":"m","fromName":"M","user":"bad name","text":"x","sentAt":1}]}',
      '{"t":"acks","origin":"r","results":[{"id":"a","status":"queued"}]}',
    ];
    for (const line of bad) {
      const decoded = decodeFederationFrame(line);
      expect(decoded.ok, line).toBe(false);
      if (!decoded.ok) expect(decoded.error.name).toBe("MalformedFrameError");
    }
    const extra = decodeFederationFrame('{"t":"ping","ts":5,"evil":true}');
    expect(extra).toEqual({ ok: true, frame: { t: "ping", ts: 5 } });
  });

  it("property: arbitrary JSON never throws, only frames or typed errors", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        let decoded: ReturnType<typeof decodeFederationFrame> | undefined;
        expect(() => (decoded = decodeFederationFrame(JSON.stringify(value)))).not.toThrow();
        // Whatever it is, a frame of a known type or a refusal that says why.
        if (decoded?.ok === true) expect(JSON.parse(JSON.stringify(value))).toMatchObject({ t: decoded.frame.t });
        else expect(decoded?.error.message).toMatch(/\S/);
      }),
    );
  });
});
