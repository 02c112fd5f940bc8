import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderConfigReference, type ConfigKeys } from "@realmchat/node-runtime";
import { BRIDGE_CONFIG_KEYS } from "@realmchat/peer-bridge";
import { REALM_CONFIG_KEYS } from "@realmchat/realm-server";

export const OPERATING_GUIDE = fileURLToPath(new URL("../../../../docs/operating.md", import.meta.url));

/** The generated blocks of the operator's guide: the marker that names each, and the table it holds. */
const BLOCKS: ReadonlyArray<readonly [name: string, keys: ConfigKeys]> = [
  ["realm config", REALM_CONFIG_KEYS],
  ["bridge config", BRIDGE_CONFIG_KEYS],
];

const begin = (name: string): string => `<!-- ${name}: generated from its key table by \`pnpm docs\`; edit the table, not this -->`;
const end = (name: string): string => `<!-- end of ${name} -->`;

/**
 * `guide` with each config reference block rendered again from the parsers' key tables
 * (`REALM_CONFIG_KEYS`, `BRIDGE_CONFIG_KEYS`). A guide without a block's markers is an error:
 * the reference must be somewhere.
 */
export function withConfigReference(guide: string): string {
  let text = guide;
  for (const [name, keys] of BLOCKS) {
    const from = text.indexOf(begin(name));
    const to = text.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`the guide has no block '${begin(name)}' … '${end(name)}'`);
    text = `${text.slice(0, from)}${begin(name)}\n\n${renderConfigReference(keys)}\n${text.slice(to)}`;
  }
  return text;
}

/** Rewrites docs/operating.md's config reference; true if it changed. */
export async function writeConfigReference(path = OPERATING_GUIDE): Promise<boolean> {
  const guide = await readFile(path, "utf8");
  const next = withConfigReference(guide);
  if (next === guide) return false;
  await writeFile(path, next);
  return true;
}
