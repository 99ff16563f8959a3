// Lint: typescript-eslint's strict, type-aware rule set over the whole codebase (CONTRIBUTING.md#lint).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "protocol-fixtures/", "bin/", "test/bench/**/*.mjs", "test/demo/*.mjs", "test/helpers/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
);
