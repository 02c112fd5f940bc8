import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { HandshakeError } from "../errors.ts";
import { FEDERATION_VERSION, type FederationFrame, type FrameOf } from "./frames.ts";

/**
 * Mutual challenge-response on a shared secret (docs/protocol.md, "Link handshake"); the secret
 * never crosses the wire. Both sides are pure state machines: feed them frames, send what they
 * return. The proofs name their role and both nonces, so a proof cannot be reflected or replayed.
 * The acceptor proves nothing until the dialer has proved itself, so a stranger who connects
 * learns no proof it could test guesses of the secret against.
 *
 *   dialer → hello{v 2, realm A, nonce nA}
 *   acceptor → challenge{realm B, nonce nB}
 *   dialer → prove{proof HMAC(s, "prove|A|B|nA|nB")}
 *   acceptor → welcome{proof HMAC(s, "welcome|B|A|nA|nB")}
 */
export type HandshakeStep =
  | { readonly kind: "send"; readonly frame: FederationFrame }
  | { readonly kind: "done"; readonly peer: string; readonly frame?: FederationFrame }
  | { readonly kind: "failed"; readonly error: HandshakeError; readonly frame?: FederationFrame };

const MIN_NONCE_LENGTH = 16;

function nonce(): string {
  return randomBytes(24).toString("base64");
}

function proof(secret: string, ...parts: string[]): string {
  return createHmac("sha256", secret).update(parts.join("|")).digest("base64");
}

function proofMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(reason: string, peer: string | undefined): HandshakeStep {
  return { kind: "failed", error: new HandshakeError(reason, peer), frame: { t: "refused", reason } };
}

export class HandshakeDialer {
  readonly #self: string;
  readonly #peer: string;
  readonly #secret: string;
  readonly #nonce = nonce();
  #theirNonce: string | undefined;

  constructor(self: string, peer: string, secret: string) {
    this.#self = self;
    this.#peer = peer;
    this.#secret = secret;
  }

  start(): FrameOf<"hello"> {
    return { t: "hello", v: FEDERATION_VERSION, realm: this.#self, nonce: this.#nonce };
  }

  receive(frame: FederationFrame): HandshakeStep {
    if (frame.t === "refused") return { kind: "failed", error: new HandshakeError(`refused: ${frame.reason}`, this.#peer) };
    const theirNonce = this.#theirNonce;
    if (theirNonce === undefined) {
      if (frame.t !== "challenge") return refuse(`expected challenge, got ${frame.t}`, this.#peer);
      if (frame.realm !== this.#peer) return refuse(`expected realm ${this.#peer}, reached ${frame.realm}`, this.#peer);
      if (frame.nonce.length < MIN_NONCE_LENGTH) return refuse("nonce too short", this.#peer);
      this.#theirNonce = frame.nonce;
      return { kind: "send", frame: { t: "prove", proof: proof(this.#secret, "prove", this.#self, this.#peer, this.#nonce, frame.nonce) } };
    }
    if (frame.t !== "welcome") return refuse(`expected welcome, got ${frame.t}`, this.#peer);
    const expected = proof(this.#secret, "welcome", this.#peer, this.#self, this.#nonce, theirNonce);
    if (!proofMatches(expected, frame.proof)) return refuse("bad proof (wrong secret?)", this.#peer);
    return { kind: "done", peer: this.#peer };
  }
}

export class HandshakeAcceptor {
  readonly #self: string;
  readonly #secretFor: (realm: string) => string | undefined;
  readonly #nonce = nonce();
  #hello: FrameOf<"hello"> | undefined;

  /** `secretFor` names the secret shared with a realm, or undefined if that realm may not link. */
  constructor(self: string, secretFor: (realm: string) => string | undefined) {
    this.#self = self;
    this.#secretFor = secretFor;
  }

  receive(frame: FederationFrame): HandshakeStep {
    const hello = this.#hello;
    if (hello === undefined) {
      if (frame.t !== "hello") return refuse(`expected hello, got ${frame.t}`, undefined);
      if (frame.v !== FEDERATION_VERSION) return refuse(`unsupported version ${frame.v}`, frame.realm);
      if (frame.nonce.length < MIN_NONCE_LENGTH) return refuse("nonce too short", frame.realm);
      if (this.#secretFor(frame.realm) === undefined) return refuse(`unknown realm ${frame.realm}`, frame.realm);
      this.#hello = frame;
      return { kind: "send", frame: { t: "challenge", realm: this.#self, nonce: this.#nonce } };
    }
    if (frame.t !== "prove") return refuse(`expected prove, got ${frame.t}`, hello.realm);
    const secret = this.#secretFor(hello.realm) as string;
    const expected = proof(secret, "prove", hello.realm, this.#self, hello.nonce, this.#nonce);
    if (!proofMatches(expected, frame.proof)) return refuse("bad proof (wrong secret?)", hello.realm);
    return {
      kind: "done",
      peer: hello.realm,
      frame: { t: "welcome", proof: proof(secret, "welcome", this.#self, hello.realm, hello.nonce, this.#nonce) },
    };
  }
}
