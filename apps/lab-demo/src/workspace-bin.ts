import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * The entry point of a workspace package's binary: its TypeScript, run from source (tests, the
 * demo), or, `built`, the JavaScript `pnpm build` wrote (as deployed: no type stripping at load,
 * about 30 MB less resident per process).
 */
export function workspaceBin(
  pkg: "@realmchat/realm-server" | "@realmchat/peer-bridge" | "@realmchat/cli",
  bin: string,
  built = false,
): string {
  const root = dirname(require.resolve(`${pkg}/package.json`));
  return built ? join(root, "dist", "bin", `${bin}.js`) : join(root, "src", "bin", `${bin}.ts`);
}
