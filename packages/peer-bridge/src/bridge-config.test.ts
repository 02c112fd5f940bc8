import { describe, expect, it } from "vitest";
import { dialsPeer, parseBridgeConfig } from "./bridge-config.ts";
import { BridgeConfigError } from "./errors.ts";

const SECRET = "0f3a9c1e7b2d4856a0c3e9f1b7d24c6e8a1f3b5d7c9e0a2b4c6d8e0f1a3b5c7d";
const base = {
  realm: "realm1",
  listen: { host: "127.0.0.1", port: 9889 },
  realmServer: { host: "127.0.0.1", port: 8890, secret: SECRET },
  peers: [{ realm: "realm2", host: "127.0.0.1", port: 9899, secret: SECRET }],
};

describe("bridge config", () => {
  it("reads a valid config; the lower realm name dials", () => {
    const config = parseBridgeConfig("b.json", JSON.stringify(base));
    expect(config.peers[0]).toEqual({ realm: "realm2", secret: SECRET, address: { host: "127.0.0.1", port: 9899 } });
    expect(dialsPeer("realm1", "realm2")).toBe(true);
    expect(dialsPeer("realm2", "realm1")).toBe(false);
  });

  it("takes other instances of its realm server, tried in turn after the first", () => {
    expect(parseBridgeConfig("b.json", JSON.stringify(base)).realmServer.otherInstances).toEqual([]);
    const config = parseBridgeConfig(
      "b.json",
      JSON.stringify({ ...base, realmServer: { ...base.realmServer, otherInstances: [{ port: 8892 }, { host: "10.0.0.2", port: 8890 }] } }),
    );
    expect(config.realmServer).toEqual({
      host: "127.0.0.1",
      port: 8890,
      secret: SECRET,
      otherInstances: [
        { host: "127.0.0.1", port: 8892 },
        { host: "10.0.0.2", port: 8890 },
      ],
    });
  });

  it("takes a pin for its realm server's certificate (TLS on the federation port), and refuses one that is not a fingerprint", () => {
    const pin = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, "0")).join(":");
    const config = parseBridgeConfig("b.json", JSON.stringify({ ...base, realmServer: { ...base.realmServer, fingerprint: pin } }));
    expect(config.realmServer.fingerprint).toBe(pin.toUpperCase());
    expect(() =>
      parseBridgeConfig("b.json", JSON.stringify({ ...base, realmServer: { ...base.realmServer, fingerprint: "AB:CD" } })),
    ).toThrow(/'realmServer.fingerprint' must be a SHA-256 fingerprint/);
  });

  it("lets the higher name omit the address of a peer that dials it", () => {
    const config = parseBridgeConfig("b.json", JSON.stringify({ ...base, realm: "realm3", peers: [{ realm: "realm2", secret: SECRET }] }));
    expect(config.peers[0]?.address).toBeUndefined();
  });

  it.each([
    ["a short secret", { ...base, peers: [{ realm: "realm2", host: "h", port: 1, secret: "short" }] }, /secret/],
    [
      "a readable phrase as the secret",
      { ...base, peers: [{ realm: "realm2", host: "h", port: 1, secret: "lab-demo realm1<->realm2 peering secret" }] },
      /peer-bridge secret/,
    ],
    ["a missing dial address", { ...base, peers: [{ realm: "realm2", secret: SECRET }] }, /host and port are needed/],
    ["itself as a peer", { ...base, peers: [{ realm: "realm1", secret: SECRET }] }, /another realm/],
    ["a duplicate peer", { ...base, peers: [base.peers[0], base.peers[0]] }, /twice/],
    ["no realm server", { ...base, realmServer: undefined }, /realmServer/],
    [
      "another instance without a port",
      { ...base, realmServer: { ...base.realmServer, otherInstances: [{ host: "h" }] } },
      /otherInstances\[0\]\.port/,
    ],
    [
      "an unknown key in another instance",
      { ...base, realmServer: { ...base.realmServer, otherInstances: [{ port: 1, secret: SECRET }] } },
      /secret/,
    ],
  ])("refuses %s", (_, value, message) => {
    expect(() => parseBridgeConfig("b.json", JSON.stringify(value))).toThrow(BridgeConfigError);
    expect(() => parseBridgeConfig("b.json", JSON.stringify(value))).toThrow(message);
  });
});
