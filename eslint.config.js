// One lint for the whole tree: the error policy of docs/design/error-policy.md (no floating
// promise, no silent catch) and no unused code. Formatting is Prettier's (.prettierrc.json).
import tseslint from "typescript-eslint";

const silentCatch = "A failure is handled where it can be answered or logged through describeError, never dropped.";

export default tseslint.config(
  { ignores: ["**/node_modules/", "**/dist/", "**/.turbo/"] },
  {
    files: ["**/*.ts", "**/*.js"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "max-len": ["error", { code: 140, tabWidth: 2 }],
      "@typescript-eslint/no-floating-promises": [
        "error",
        { ignoreVoid: false, allowForKnownSafePromises: [{ from: "file", name: "Handled", path: "packages/node-runtime/src/handled.ts" }] },
      ],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression[body.type='Identifier'][body.name='undefined']",
          message: silentCatch,
        },
        {
          selector: "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression > BlockStatement[body.length=0]",
          message: silentCatch,
        },
      ],
    },
  },
);
