// `npm run test:annex-full`: only the full git annex testremote, which `npm test` leaves out for time.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/annex-git/*.annex-full.ts"],
    testTimeout: 3_600_000,
    hookTimeout: 60_000,
  },
});
