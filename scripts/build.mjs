#!/usr/bin/env node
/**
 * Builds the published packages in dependency order: `node scripts/build.mjs` builds all of
 * them, `node scripts/build.mjs client` builds core, then client (what `prepack` runs, so
 * packing always builds first).
 *
 * The order is written out rather than left to `pnpm -r`: the packages' tests make a cycle
 * (client's tests use testing, which depends on client), and pnpm breaks cycles arbitrarily.
 */
import { execFileSync } from "node:child_process"
import * as Path from "node:path"
import { packageDir, published as order, root } from "./packages.mjs"

const upTo = process.argv[2] ?? order[order.length - 1]
if (!order.includes(upTo)) {
  console.error(`build.mjs: unknown package ${upTo} (one of ${order.join(", ")})`)
  process.exit(2)
}
for (const name of order.slice(0, order.indexOf(upTo) + 1)) {
  const started = Date.now()
  execFileSync(process.execPath, [Path.join(root, "scripts", "build-package.mjs")], {
    cwd: packageDir(name),
    stdio: "inherit"
  })
  console.log(`built @lago-effect/${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}
