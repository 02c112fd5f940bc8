import { readFile } from "node:fs/promises";
import { parseBridgeConfig } from "@realmchat/peer-bridge";
import { parseRealmConfig } from "@realmchat/realm-server";
import { describe, expect, it } from "vitest";
import { OPERATING_GUIDE, withConfigReference } from "../src/docs/config-reference.ts";

const SECRET = "0f3a9c1e7b2d4856a0c3e9f1b7d24c6e8a1f3b5d7c9e0a2b4c6d8e0f1a3b5c7d";
const HASH = "scrypt$16384$8$1$c2FsdA==$aGFzaA==";

/** The keys the guide's block `name` lists right under `prefix` (`federation.`, `peers[].`). */
function documented(guide: string, name: string, prefix: string): string[] {
  const block = guide.slice(guide.indexOf(`<!-- ${name}:`), guide.indexOf(`<!-- end of ${name}`));
  const escaped = prefix.replace(/[.[\]]/g, "\\$&");
  return [...block.matchAll(new RegExp(`^\\| \`${escaped}([A-Za-z]+)\` \\|`, "gm"))].map((m) => m[1] as string);
}

/** The keys a parser says it knows, from its refusal of an unknown one. */
function knownTo(parse: () => unknown): string[] {
  try {
    parse();
  } catch (err) {
    const known = /\(known: ([^)]*)\)/.exec((err as Error).message)?.[1];
    if (known !== undefined) return known.split(", ");
    throw err;
  }
  throw new Error("the parser took an unknown key");
}

describe("the config reference in docs/operating.md", () => {
  it("is what the parsers' key tables render (run `pnpm docs` after changing a table)", async () => {
    const guide = await readFile(OPERATING_GUIDE, "utf8");
    expect(withConfigReference(guide)).toBe(guide);
  });

  it("lists exactly the keys each parser takes, at every level", async () => {
    const guide = await readFile(OPERATING_GUIDE, "utf8");
    const realm = (extra: Record<string, unknown>) => () => parseRealmConfig("r.json", JSON.stringify({ realm: "r", users: [], ...extra }));
    expect(documented(guide, "realm config", "")).toEqual(knownTo(realm({ extra: 1 })));
    expect(documented(guide, "realm config", "federation.")).toEqual(knownTo(realm({ federation: { secret: SECRET, extra: 1 } })));
    expect(documented(guide, "realm config", "web.")).toEqual(knownTo(realm({ web: { port: 0, extra: 1 } })));
    expect(documented(guide, "realm config", "users[].")).toEqual(
      knownTo(realm({ users: [{ username: "messi", passwordHash: HASH, extra: 1 }] })),
    );
    expect(documented(guide, "realm config", "metrics.")).toEqual(knownTo(realm({ metrics: { port: 0, extra: 1 } })));

    const realmServer = { port: 1, secret: SECRET };
    const bridge = (extra: Record<string, unknown>) => () =>
      parseBridgeConfig("b.json", JSON.stringify({ realm: "b", realmServer, peers: [], ...extra }));
    expect(documented(guide, "bridge config", "")).toEqual(knownTo(bridge({ extra: 1 })));
    expect(documented(guide, "bridge config", "realmServer.")).toEqual(knownTo(bridge({ realmServer: { ...realmServer, extra: 1 } })));
    expect(documented(guide, "bridge config", "peers[].")).toEqual(knownTo(bridge({ peers: [{ realm: "c", secret: SECRET, extra: 1 }] })));
    expect(documented(guide, "bridge config", "tls.")).toEqual(knownTo(bridge({ tls: { cert: "c", key: "k", extra: 1 } })));
  });
});
