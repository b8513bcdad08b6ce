import type { ViteUserConfig } from "vitest/config"

// "source" resolves workspace packages to their TypeScript sources, so tests never run stale builds.
const conditions = ["source", "import", "module", "node", "default"]

/**
 * The settings every package's vitest.config.ts starts from. The time-outs are sized for a
 * busy 2-core machine running two suites at once: they catch hangs, they do not time tests.
 */
export const shared: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: { testTimeout: 60_000, hookTimeout: 60_000 }
}
