import { defineConfig } from "vite";

/** The browser client, built to dist/ for the realm server to serve (`realm-server --web-client apps/web/dist`). */
export default defineConfig({
  root: "src",
  // Workspace packages resolve to their TypeScript source, as in the tests.
  resolve: { conditions: ["@realmchat/source", "module", "browser", "default"] },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "../dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
});
