import type { ViteUserConfig } from "vitest/config"

// "source" resolves workspace packages to their TypeScript sources, so tests never run stale builds.
const conditions = ["source", "import", "module", "node", "default"]

/** The settings every package's vitest.config.ts starts from. */
export const shared: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } }
}
