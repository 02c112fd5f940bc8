import { describe, expect, it } from "vitest";
import type { FederationFrame } from "./frames.ts";
import { HandshakeAcceptor, HandshakeDialer, type HandshakeStep } from "./handshake.ts";

function sent(step: HandshakeStep): FederationFrame {
  if (step.kind === "send") return step.frame;
  if (step.frame !== undefined) return step.frame;
  throw new Error(`expected a frame, got ${JSON.stringify(step)}`);
}

describe("federation handshake", () => {
  it("succeeds with the same secret, and each side learns who the other is", () => {
    const dialer = new HandshakeDialer("realm1", "realm2", "s3cret");
    const acceptor = new HandshakeAcceptor("realm2", (r) => (r === "realm1" ? "s3cret" : undefined));
    const welcome = sent(acceptor.receive(dialer.start()));
    const prove = sent(dialer.receive(welcome));
    const done = acceptor.receive(prove);
    expect(done).toMatchObject({ kind: "done", peer: "realm1", frame: { t: "ready" } });
    expect(dialer.receive({ t: "ready" })).toEqual({ kind: "done", peer: "realm2" });
    expect(JSON.stringify([welcome, prove])).not.toContain("s3cret");
  });

  it("fails on the dialer's side when the acceptor has another secret", () => {
    const dialer = new HandshakeDialer("realm1", "realm2", "right");
    const acceptor = new HandshakeAcceptor("realm2", () => "wrong");
    const step = dialer.receive(sent(acceptor.receive(dialer.start())));
    expect(step.kind).toBe("failed");
  });

  it("fails on the acceptor's side when the dialer has another secret", () => {
    const dialer = new HandshakeDialer("realm1", "realm2", "wrong");
    const honest = new HandshakeDialer("realm1", "realm2", "right");
    const acceptor = new HandshakeAcceptor("realm2", () => "right");
    const welcome = sent(acceptor.receive(dialer.start()));
    // The dialer with the wrong secret cannot check the welcome; it cannot forge a prove either.
    expect(dialer.receive(welcome).kind).toBe("failed");
    const forged: FederationFrame = { t: "prove", proof: (welcome as { proof: string }).proof };
    expect(acceptor.receive(forged)).toMatchObject({ kind: "failed", frame: { t: "refused" } });
    expect(honest.start().t).toBe("hello");
  });

  it("refuses unknown realms, wrong peers and out-of-order frames", () => {
    const acceptor = new HandshakeAcceptor("realm2", () => undefined);
    expect(acceptor.receive(new HandshakeDialer("intruder", "realm2", "x").start())).toMatchObject({ kind: "failed" });
    const dialer = new HandshakeDialer("realm1", "realm2", "s");
    dialer.start();
    const other = new HandshakeAcceptor("realm3", () => "s");
    expect(dialer.receive(sent(other.receive(new HandshakeDialer("realm1", "realm3", "s").start())))).toMatchObject({ kind: "failed" });
    expect(new HandshakeAcceptor("realm2", () => "s").receive({ t: "ready" })).toMatchObject({ kind: "failed" });
  });
});
