import { defineConfig } from "vitest/config"

// One vitest project per package (vitest 3.2 deprecates vitest.workspace.ts for `test.projects`).
// CI asks for a JSON report (VITEST_JSON_REPORT) to print a closing "N passed, N failed" line.
const report = process.env.VITEST_JSON_REPORT

export default defineConfig({
  test: {
    projects: ["packages/*"],
    ...(report === undefined ? {} : { reporters: ["default", "json"], outputFile: { json: report } })
  }
})
