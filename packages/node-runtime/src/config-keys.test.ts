import { describe, expect, it } from "vitest";
import { keysOf, renderConfigReference, type ConfigKeys } from "./config-keys.ts";

const TABLE = {
  realm: { type: "name", required: true, doc: "its name" },
  peers: {
    type: "array of objects",
    default: "none",
    doc: "others | a pipe",
    keys: {
      secret: { type: "secret", required: true, doc: "shared" },
      tls: { type: "object", doc: "TLS", keys: { cert: { type: "path", doc: "PEM" } } },
    },
  },
} as const satisfies ConfigKeys;

describe("renderConfigReference", () => {
  it("lists every key, nested ones as dotted paths ([] for an array's objects), with required, default or optional", () => {
    expect(renderConfigReference(TABLE).split("\n")).toEqual([
      "| key | type | required / default | meaning |",
      "|---|---|---|---|",
      "| `realm` | name | required | its name |",
      "| `peers` | array of objects | default: none | others \\| a pipe |",
      "| `peers[].secret` | secret | required | shared |",
      "| `peers[].tls` | object | optional | TLS |",
      "| `peers[].tls.cert` | path | optional | PEM |",
      "",
    ]);
    expect(keysOf(TABLE)).toEqual(["realm", "peers"]);
  });
});
