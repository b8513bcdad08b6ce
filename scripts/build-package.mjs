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

// Binaries (`bin` entries under dist/bin/): bundled, so that a command starts from a few files
// rather than the ~700 modules of its dependencies (measured for `lago-effect --help` on Node
// 20: 0.3-0.4 s and 80 MiB bundled, 0.80-0.87 s and 123 MiB from node_modules). Undici stays
// outside the bundle, loaded from the package's own dependency when a command first calls Lago;
// split chunks keep what only some commands need out of start-up. The licenses of the
// third-party code bundled are written beside it (THIRD_PARTY_NOTICES.md).
const manifest = JSON.parse(Fs.readFileSync(Path.join(dir, "package.json"), "utf8"))
const bundled = Object.values(manifest.bin ?? {}).filter((target) => target.startsWith("./dist/bin/"))
if (bundled.length > 0) {
  const outdir = Path.join(dist, "bin")
  const { metafile } = await esbuild.build({
    entryPoints: bundled.map((target) => Path.join(dir, "src", "bin", `${Path.basename(target, ".mjs")}.ts`)),
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["undici"],
    metafile: true,
    banner: {
      // CommonJS dependencies inside an ES module bundle still call `require` for Node's modules.
      js: "// Bundled third-party code and its licenses: THIRD_PARTY_NOTICES.md beside the binary.\n" +
        "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
    },
    legalComments: "eof",
    logLevel: "warning"
  })
  Fs.writeFileSync(Path.join(outdir, "THIRD_PARTY_NOTICES.md"), thirdPartyNotices(Object.keys(metafile.inputs)))
}

/** The package.json above `file` that names a package (dist folders hold nameless ones). */
function packageOf(file) {
  for (let at = Path.dirname(Path.resolve(dir, file)); at !== Path.dirname(at); at = Path.dirname(at)) {
    const candidate = Path.join(at, "package.json")
    if (Fs.existsSync(candidate)) {
      const { name, version, license } = JSON.parse(Fs.readFileSync(candidate, "utf8"))
      if (name !== undefined) return { at, name, version, license }
    }
  }
  return undefined
}

/** Every third-party package among a bundle's input files, with its license's text. */
function thirdPartyNotices(inputs) {
  const found = new Map()
  for (const input of inputs) {
    const owner = packageOf(input)
    if (owner === undefined || owner.name.startsWith("@lago-effect/") || found.has(owner.name)) continue
    const file = Fs.readdirSync(owner.at).find((entry) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(entry))
    if (file === undefined) throw new Error(`${owner.name} is bundled but has no license file`)
    found.set(
      owner.name,
      `## ${owner.name} ${owner.version} (${owner.license})\n\n${
        Fs.readFileSync(Path.join(owner.at, file), "utf8").trim()
      }\n`
    )
  }
  return `# Third-party code in this binary\n\n${[...found.keys()].sort().map((name) => found.get(name)).join("\n")}`
}
