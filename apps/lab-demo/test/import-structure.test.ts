import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The import rules of docs/design/layering.md, checked on the source as it is.
const ROOT = resolve(import.meta.dirname, "../../..");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

/** Every import of a file, type-only ones included: relative ones resolved to files, the rest as written. */
function importsOf(file: string): { readonly local: string[]; readonly external: string[] } {
  const local: string[] = [];
  const external: string[] = [];
  for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
    const spec = match[1] as string;
    if (spec.startsWith(".")) local.push(resolve(dirname(file), spec));
    else external.push(spec);
  }
  return { local, external };
}

/** The sets of files that import each other, directly or through others (Tarjan's algorithm). */
function circles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).local.filter((t) => t !== f)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(relative(ROOT, w));
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

const PACKAGES = [
  "packages/protocol",
  "packages/node-runtime",
  "packages/realm-server",
  "packages/peer-bridge",
  "packages/cli",
  "apps/lab-demo",
];

/** realm-server's layers, top first: a file may import its own layer and those below it. */
const REALM_SERVER_LAYERS: ReadonlyArray<readonly string[]> = [
  ["index.ts"],
  ["bin/"],
  ["start-realm-server.ts"],
  ["cluster/"],
  ["client-listener.ts", "web/", "admin/", "realm-reload.ts", "metrics/realm-metrics.ts"],
  ["realm.ts"],
  ["connections/"],
  ["services/"],
  ["federation/"],
  ["groups/", "presence/", "throttle/"],
  [
    "store/",
    "request-error.ts",
    "limits.ts",
    "errors.ts",
    "password-hash.ts",
    "realm-config.ts",
    "user-admin.ts",
    "data-copy/",
    "message-id.ts",
    "metrics/realm-meter.ts",
  ],
];

function layerOf(path: string): number {
  const layer = REALM_SERVER_LAYERS.findIndex((prefixes) => prefixes.some((p) => path === p || (p.endsWith("/") && path.startsWith(p))));
  if (layer === -1) throw new Error(`${path} is in no layer of realm-server: add it to docs/design/layering.md and this test`);
  return layer;
}

describe("import structure", () => {
  it("has no import circle in any package, type-only imports included", () => {
    for (const pkg of PACKAGES) expect(circles(sourceFiles(join(ROOT, pkg, "src"))), pkg).toEqual([]);
  });

  it("realm-server imports only downwards through its layers; classic and live never import each other", () => {
    const src = join(ROOT, "packages/realm-server/src");
    const upward: string[] = [];
    for (const file of sourceFiles(src)) {
      const from = relative(src, file);
      for (const target of importsOf(file).local) {
        const to = relative(src, target);
        if (layerOf(to) < layerOf(from)) upward.push(`${from} -> ${to}`);
        const sides = [from, to].map((p) =>
          p.startsWith("connections/classic/") ? "classic" : p.startsWith("connections/live/") ? "live" : undefined,
        );
        if (sides[0] !== undefined && sides[1] !== undefined && sides[0] !== sides[1]) upward.push(`${from} -> ${to}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("the cluster is an add-on: only the server's start puts it in, and no part of the core imports it", () => {
    const src = join(ROOT, "packages/realm-server/src");
    const importers = sourceFiles(src)
      .filter((f) => !relative(src, f).startsWith("cluster/"))
      .filter((f) => importsOf(f).local.some((target) => relative(src, target).startsWith("cluster/")))
      .map((f) => relative(src, f));
    expect(importers).toEqual(["start-realm-server.ts"]);
  });

  it("protocol imports nothing from node: outside its federation folder, so a browser can use it", () => {
    const src = join(ROOT, "packages/protocol/src");
    const offending = sourceFiles(src)
      .filter((f) => !relative(src, f).startsWith("federation/"))
      .flatMap((f) =>
        importsOf(f)
          .external.filter((spec) => spec.startsWith("node:"))
          .map((spec) => `${relative(src, f)}: ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it("keeps every source file within about 300 lines", () => {
    const long = PACKAGES.flatMap((pkg) => sourceFiles(join(ROOT, pkg, "src")))
      .map((f) => ({ f: relative(ROOT, f), lines: readFileSync(f, "utf8").split("\n").length }))
      .filter(({ lines }) => lines > 310)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });
});
