import { defineConfig } from "vitest/config"

// Root settings; the projects are listed in vitest.workspace.ts. CI asks for a JSON report
// (VITEST_JSON_REPORT) to print a closing "N passed, N failed" line.
const report = process.env.VITEST_JSON_REPORT

export default defineConfig({
  test: report === undefined ? {} : { reporters: ["default", "json"], outputFile: { json: report } }
})
