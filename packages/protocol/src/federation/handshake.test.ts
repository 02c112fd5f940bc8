import { describe, expect, it } from "vitest";
import type { FederationFrame } from "./frames.ts";
import { HandshakeAcceptor, HandshakeDialer, type HandshakeStep } from "./handshake.ts";

function sent(step: HandshakeStep): FederationFrame {
  if (step.frame === undefined) throw new Error(`no frame in ${JSON.stringify(step)}`);
  return step.frame;
}

describe("link handshake", () => {
  it("authenticates both sides without the secret ever crossing the wire", () => {
    const dialer = new HandshakeDialer("realm1", "realm2", "s3cret");
    const acceptor = new HandshakeAcceptor("realm2", (r) => (r === "realm1" ? "s3cret" : undefined));
    const challenge = sent(acceptor.receive(dialer.start()));
    const prove = sent(dialer.receive(challenge));
    const done = acceptor.receive(prove);
    expect(done).toMatchObject({ kind: "done", peer: "realm1", frame: { t: "welcome" } });
    expect(dialer.receive(sent(done))).toEqual({ kind: "done", peer: "realm2" });
    expect(JSON.stringify([challenge, prove, sent(done)])).not.toContain("s3cret");
  });

  it("gives a stranger's hello no proof at all: nothing to test guesses of the secret against", () => {
    const acceptor = new HandshakeAcceptor("realm2", () => "s3cret");
    const challenge = sent(acceptor.receive(new HandshakeDialer("realm1", "realm2", "a guess").start()));
    expect(challenge).toEqual({ t: "challenge", realm: "realm2", nonce: expect.any(String) });
    expect(Object.keys(challenge)).not.toContain("proof");
  });

  it("refuses a dialer with the wrong secret before proving anything itself", () => {
    const dialer = new HandshakeDialer("realm1", "realm2", "wrong");
    const acceptor = new HandshakeAcceptor("realm2", () => "right");
    const prove = sent(dialer.receive(sent(acceptor.receive(dialer.start()))));
    const refused = acceptor.receive(prove);
    expect(refused).toMatchObject({ kind: "failed", frame: { t: "refused" } });
    expect(Object.keys(refused.frame ?? {})).not.toContain("proof");
  });

  it("a dialer refuses an acceptor that cannot prove the secret (an impostor at the address)", () => {
    const dialer = new HandshakeDialer("realm1", "realm2", "right");
    const impostor = new HandshakeAcceptor("realm2", () => "wrong");
    const honest = new HandshakeAcceptor("realm2", () => "right");
    sent(dialer.receive(sent(impostor.receive(dialer.start()))));
    // The impostor cannot make a welcome; a welcome taken from another handshake does not fit.
    const other = new HandshakeDialer("realm1", "realm2", "right");
    const otherWelcome = sent(honest.receive(sent(other.receive(sent(honest.receive(other.start()))))));
    expect(dialer.receive(otherWelcome)).toMatchObject({ kind: "failed" });
  });

  it("refuses unknown realms, the wrong peer, old versions and frames out of order", () => {
    const acceptor = new HandshakeAcceptor("realm2", () => undefined);
    expect(acceptor.receive(new HandshakeDialer("intruder", "realm2", "x").start())).toMatchObject({ kind: "failed" });
    const dialer = new HandshakeDialer("realm1", "realm2", "s");
    dialer.start();
    const other = new HandshakeAcceptor("realm3", () => "s");
    expect(dialer.receive(sent(other.receive(new HandshakeDialer("realm1", "realm3", "s").start())))).toMatchObject({ kind: "failed" });
    expect(new HandshakeAcceptor("realm2", () => "s").receive({ t: "welcome", proof: "x" })).toMatchObject({ kind: "failed" });
    expect(new HandshakeAcceptor("realm2", () => "s").receive({ t: "hello", v: 1, realm: "realm1", nonce: "n".repeat(32) })).toMatchObject({
      kind: "failed",
    });
  });
});
