import { withMetricsPort } from "@realmchat/node-runtime";
import { describe, expect, it } from "vitest";
import { RealmConfigError } from "./errors.ts";
import { defaultDataDir, parseRealmConfig } from "./realm-config.ts";

const HASH = "scrypt$16384$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5";

describe("realm config", () => {
  it("reads realm, address and users; display name defaults to the username", () => {
    const config = parseRealmConfig(
      "r.json",
      JSON.stringify({ realm: "realm1", port: 8889, users: [{ username: "messi", passwordHash: HASH }] }),
    );
    expect(config).toEqual({
      path: "r.json",
      realm: "realm1",
      host: undefined,
      port: 8889,
      users: [{ username: "messi", displayName: "messi", passwordHash: HASH }],
    });
  });

  it("takes its dataDir relative to the config file, wherever the command runs", () => {
    const config = parseRealmConfig("/etc/realmchat/realm1.json", JSON.stringify({ realm: "realm1", dataDir: "data", users: [] }));
    expect(defaultDataDir(config)).toBe("/etc/realmchat/data");
    expect(defaultDataDir(parseRealmConfig("/etc/r.json", JSON.stringify({ realm: "realm1", users: [] })))).toBe("data/realm1");
  });

  it("reads metrics: loopback unless a host is given; --metrics-port overrides or turns them on", () => {
    const read = (metrics: unknown) => parseRealmConfig("r.json", JSON.stringify({ realm: "realm1", users: [], metrics })).metrics;
    expect(read({ port: 9101 })).toEqual({ host: "127.0.0.1", port: 9101 });
    expect(read({ host: "0.0.0.0", port: 0 })).toEqual({ host: "0.0.0.0", port: 0 });
    expect(() => read({ host: "127.0.0.1" })).toThrow(/'metrics' needs a 'port'/);
    expect(() => read({ port: 1, path: "/m" })).toThrow(/unknown key 'path' in metrics/);
    const plain = parseRealmConfig("r.json", JSON.stringify({ realm: "realm1", users: [] }));
    expect(withMetricsPort(plain, undefined)).toBe(plain);
    expect(withMetricsPort(plain, 0).metrics).toEqual({ host: "127.0.0.1", port: 0 });
  });

  it.each([
    ["not json", "{", /not valid JSON/],
    ["bad realm", JSON.stringify({ realm: "a b", users: [] }), /'realm'/],
    ["plaintext password", JSON.stringify({ realm: "r", users: [{ username: "u", password: "p" }] }), /plaintext/],
    [
      "duplicate user",
      JSON.stringify({
        realm: "r",
        users: [
          { username: "u", passwordHash: HASH },
          { username: "u", passwordHash: HASH },
        ],
      }),
      /twice/,
    ],
    ["bad port", JSON.stringify({ realm: "r", port: 99999, users: [] }), /port/],
    ["bad hash", JSON.stringify({ realm: "r", users: [{ username: "u", passwordHash: "x" }] }), /passwordHash/],
    ["an unknown key", JSON.stringify({ realm: "r", users: [], prot: 8889 }), /unknown key 'prot' in the file/],
    [
      "an unknown user key",
      JSON.stringify({ realm: "r", users: [{ username: "u", passwordHash: HASH, admin: true }] }),
      /unknown key 'admin' in users\[0\]/,
    ],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseRealmConfig("r.json", text)).toThrow(RealmConfigError);
    expect(() => parseRealmConfig("r.json", text)).toThrow(message);
  });
});
