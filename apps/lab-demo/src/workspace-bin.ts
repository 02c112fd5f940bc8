import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The TypeScript entry point of a workspace package's binary, run from source. */
export function workspaceBin(pkg: "@realmchat/realm-server" | "@realmchat/peer-bridge" | "@realmchat/cli", bin: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), "src", "bin", `${bin}.ts`);
}
