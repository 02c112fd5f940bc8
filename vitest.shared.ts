import { defineConfig } from "vitest/config";

/** The one vitest config of every package: sources through the workspace condition, a JSON report for the totals line. */
export default defineConfig({
  // Workspace packages resolve to their TypeScript source (see each package.json "exports").
  resolve: { conditions: ["@realmchat/source", "module", "node", "default"] },
  ssr: { resolve: { conditions: ["@realmchat/source", "module", "node", "default"], externalConditions: ["@realmchat/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    testTimeout: 30_000,
  },
});
