#!/usr/bin/env node
/**
 * Writes the entry points of every published package's package.json from its `src/*.ts`
 * modules, so that they never drift from the code:
 *
 * - `exports`: one entry per public module (`.` for index.ts), `import` and `require` each
 *   with their own declarations, `./package.json`; internal modules are not exported. In the
 *   workspace each entry also has the `source` condition (tests and type-checks read the
 *   TypeScript sources, never a stale build); `publishConfig.exports` is the same without it,
 *   and pnpm puts it in place of `exports` when it packs.
 * - `main` / `module` / `types`, and `typesVersions` so that TypeScript's `node10`
 *   resolution finds the subpaths' declarations too.
 *
 *   node scripts/manifests.mjs          rewrite the manifests
 *   node scripts/manifests.mjs --check  fail if any manifest is not what it would write
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { modulesOf, packageDir, published } from "./packages.mjs"

const entry = (module, source) => {
  const conditions = {
    import: { types: `./dist/esm/${module}.d.ts`, default: `./dist/esm/${module}.js` },
    require: { types: `./dist/cjs/${module}.d.ts`, default: `./dist/cjs/${module}.js` }
  }
  return source ? { source: `./src/${module}.ts`, ...conditions } : conditions
}

const exportsOf = (modules, source) => ({
  ...Object.fromEntries(modules.map((module) => [module === "index" ? "." : `./${module}`, entry(module, source)])),
  "./package.json": "./package.json"
})

/** The manifest with its entry points as they should be. */
export const withEntryPoints = (manifest, modules) => {
  const { exports: _, main: _m, module: _mo, types: _t, typesVersions: _tv, publishConfig = {}, ...rest } = manifest
  const subpaths = modules.filter((module) => module !== "index")
  const ordered = {}
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = value
    if (key === "sideEffects") {
      ordered.main = "./dist/cjs/index.js"
      ordered.module = "./dist/esm/index.js"
      ordered.types = "./dist/cjs/index.d.ts"
      ordered.exports = exportsOf(modules, true)
      ordered.typesVersions = { "*": Object.fromEntries(subpaths.map((m) => [m, [`./dist/cjs/${m}.d.ts`]])) }
    }
  }
  ordered.publishConfig = { ...publishConfig, access: "public", exports: exportsOf(modules, false) }
  return ordered
}

const main = () => {
  const check = process.argv.includes("--check")
  const stale = []
  for (const name of published) {
    const file = Path.join(packageDir(name), "package.json")
    const text = Fs.readFileSync(file, "utf8")
    const expected = `${JSON.stringify(withEntryPoints(JSON.parse(text), modulesOf(name)), null, 2)}\n`
    if (text === expected) continue
    if (check) stale.push(file)
    else Fs.writeFileSync(file, expected)
  }
  if (stale.length > 0) {
    console.error(`Entry points out of date (run node scripts/manifests.mjs): ${stale.join(", ")}`)
    process.exit(1)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
