// Prints the built client's JavaScript and CSS as a browser downloads them (gzipped), against the
// budget of 60 KB; a build over it fails. Run after `vite build` by the package's build script.
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 60 * 1024;
const assets = new URL("../dist/assets/", import.meta.url).pathname;

let total = 0;
for (const file of readdirSync(assets)) {
  if (![".js", ".css"].includes(extname(file))) continue;
  const size = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`budget: JavaScript + CSS ${(total / 1024).toFixed(1)} KB gzipped of ${BUDGET_BYTES / 1024} KB`);
if (total > BUDGET_BYTES) {
  console.log("over budget");
  process.exitCode = 1;
}
