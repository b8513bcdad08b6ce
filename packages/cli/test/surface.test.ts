/**
 * The public surface of @lago-effect/cli, name by name: a name added or removed here is a
 * decision, not an accident. The binary's module is not part of it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cli from "@lago-effect/cli"
import * as Client from "@lago-effect/client"
import * as Core from "@lago-effect/core"
import * as Testing from "@lago-effect/testing"

const surface = (module: object) =>
  Object.fromEntries(Object.entries(module).map(([name, value]) => [name, Object.keys(value).sort()]))

describe("@lago-effect/cli public surface", () => {
  it("the command, the export and its parts, as namespaces", () => {
    expect(surface(Cli)).toEqual({
      AtomicFile: ["temporaryName", "write"],
      CliError: ["CliFileError", "CliInputError", "CliUsageError"],
      CliOutput: ["CliOutput", "layerProcess", "makeCaptured"],
      Csv: ["columns", "field", "header", "row"],
      CustomersExport: ["run"],
      ExitCode: ["ExitCode", "ofLagoError"],
      ExportProgress: ["intervals", "renderBar", "renderLine", "renderSummary", "report"],
      LagoCli: ["command", "run"]
    })
  })

  it("no name is exported by two packages", () => {
    const names = [...Object.keys(Core), ...Object.keys(Client), ...Object.keys(Testing), ...Object.keys(Cli)]
    expect(names.length).toBe(new Set(names).size)
  })

  it("the binary and internal modules cannot be imported", async () => {
    for (const specifier of ["@lago-effect/cli/bin/lago-effect", "@lago-effect/cli/internal/connection"]) {
      await expect(import(/* @vite-ignore */ specifier)).rejects.toThrow()
    }
  })
})
