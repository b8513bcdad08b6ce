#!/usr/bin/env node
/**
 * Builds the package in the current directory for publishing (its `build` script, run by
 * `prepack`, so packing always builds first):
 *
 * - `dist/esm`: ES modules with their declarations and maps (tsc), `{"type": "module"}`.
 * - `dist/cjs`: the same modules as CommonJS (esbuild, file by file: the sources are written
 *   for isolated transpilation) with the same declarations, `{"type": "commonjs"}`, so that
 *   TypeScript reads each format's declarations as that format.
 *
 * Workspace dependencies are read from their own `dist` (the `source` condition is off), so
 * packages build in dependency order (`pnpm -r build` does that).
 */
import * as esbuild from "esbuild"
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { root, sourceFiles } from "./packages.mjs"

const require = createRequire(import.meta.url)
const dir = process.cwd()
const dist = Path.join(dir, "dist")

Fs.rmSync(dist, { recursive: true, force: true })
Fs.mkdirSync(Path.join(dir, "build"), { recursive: true })

// ES modules and declarations: the package's own compiler settings, without the workspace's
// `source` condition and without project-reference bookkeeping.
const tsconfig = Path.join(dir, "build", "tsconfig.publish.json")
Fs.writeFileSync(
  tsconfig,
  JSON.stringify(
    {
      extends: "../tsconfig.src.json",
      include: ["../src"],
      compilerOptions: {
        composite: false,
        incremental: false,
        rootDir: "../src",
        outDir: "../dist/esm",
        declarationDir: "../dist/esm",
        customConditions: [],
        declaration: true,
        declarationMap: true,
        sourceMap: true
      }
    },
    null,
    2
  )
)
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", tsconfig], {
  stdio: "inherit",
  cwd: root
})

// CommonJS, from the same sources.
await esbuild.build({
  entryPoints: sourceFiles(Path.join(dir, "src")),
  outdir: Path.join(dist, "cjs"),
  outbase: Path.join(dir, "src"),
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: true,
  bundle: false,
  logLevel: "warning"
})

// The declarations serve both formats: copied beside the CommonJS files.
const copyDeclarations = (from, to) => {
  for (const entry of Fs.readdirSync(from, { withFileTypes: true })) {
    const source = Path.join(from, entry.name)
    const target = Path.join(to, entry.name)
    if (entry.isDirectory()) copyDeclarations(source, target)
    else if (entry.name.endsWith(".d.ts") || entry.name.endsWith(".d.ts.map")) {
      Fs.mkdirSync(to, { recursive: true })
      Fs.copyFileSync(source, target)
    }
  }
}
copyDeclarations(Path.join(dist, "esm"), Path.join(dist, "cjs"))

Fs.writeFileSync(Path.join(dist, "esm", "package.json"), `${JSON.stringify({ type: "module" })}\n`)
Fs.writeFileSync(Path.join(dist, "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`)
