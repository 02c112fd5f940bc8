import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@realmchat/source"] },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    testTimeout: 30_000,
  },
});
