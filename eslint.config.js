// Lint: typescript-eslint's strict, type-aware rule set over the TypeScript sources and tests, ESLint's recommended
// rules over the plain JavaScript scripts, and a 120-column limit everywhere (CONTRIBUTING.md#lint-and-format).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Node's globals for the plain .mjs/.js scripts (the `globals` package is not a dependency).
const nodeGlobals = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "URLSearchParams",
    "AbortController",
    "AbortSignal",
    "TextEncoder",
    "TextDecoder",
    "fetch",
    "performance",
    "queueMicrotask",
    "structuredClone",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "clearImmediate",
  ].map((name) => [name, "readonly"]),
);

const jsFiles = ["**/*.js", "**/*.mjs"];
const testFiles = ["test/**", "**/*.test.ts"];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "protocol-fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked.map((config) => ({ ...config, ignores: jsFiles })),
  {
    ignores: jsFiles,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers print unambiguously in messages and paths; other non-strings still need an explicit conversion.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // Destructuring a key out beside `...rest` is how a copy without that key is made; the key is unused by design.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    files: testFiles,
    ignores: jsFiles,
    rules: {
      // Tests assert on fixtures they just built; a wrong `!` fails the test at once, which is the check we want.
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: jsFiles,
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: nodeGlobals },
  },
  {
    rules: {
      // Prettier wraps code at 120 columns but never breaks comments or strings; this holds them to the same limit.
      "max-len": ["error", { code: 120, ignoreUrls: true }],
    },
  },
);
