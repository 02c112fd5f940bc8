import { defineConfig } from "vite";

/** The lab view's page, built to dist/ for `pnpm demo` to serve (docs/design/lab-view.md). */
export default defineConfig({
  root: "src",
  // Workspace packages resolve to their TypeScript source, as in the tests.
  resolve: { conditions: ["@realmchat/source", "module", "browser", "default"] },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "../dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
});
