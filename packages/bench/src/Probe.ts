/**
 * What the probes (`pnpm bench:bodies`, `pnpm bench:gc`) share: each bundles itself to plain
 * JavaScript twice, over the installed effect and over its patched copy (`PatchedDependencies`),
 * then runs every way it measures in a fresh process of either bundle, which prints one
 * `RESULT <json>` line.
 */
import { spawnSync } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as BenchServer from "./BenchServer.js"
import * as PatchedDependencies from "./PatchedDependencies.js"

/** The directories of a probe's two bundles; `patched` is undefined when it could not be built. */
export interface Bundles {
  readonly installed: string
  readonly patched: string | undefined
}

/**
 * Bundles `entryPoints` (and `besides`, over the installed packages only) into `out`, then
 * `entryPoints` again into `out/patched` over the patched copies when the installed versions
 * have the code the patches expect. esbuild is loaded only here.
 */
export const build = async (
  entryPoints: Record<string, string>,
  out: string,
  besides: Record<string, string> = {}
): Promise<Bundles> => {
  const esbuild = await import("esbuild")
  // The children never build: esbuild stays out of the measured processes' bundle.
  const options = { ...BenchServer.bundleOptions, external: ["esbuild"] }
  await esbuild.build({ ...options, entryPoints: { ...entryPoints, ...besides }, outdir: out })
  const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
  const dependencies = PatchedDependencies.prepare(root, Path.join(out, "dependencies"))
  if (dependencies === undefined) return { installed: out, patched: undefined }
  const patched = Path.join(out, "patched")
  await esbuild.build({ ...options, ...dependencies, entryPoints, outdir: patched })
  return { installed: out, patched }
}

/** Runs `script` with `flags` and `args` in a fresh process: its `RESULT` value and its whole output. */
export const run = (script: string, flags: ReadonlyArray<string>, args: ReadonlyArray<string>) => {
  const child = spawnSync(process.execPath, [...flags, script, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20
  })
  const result = /RESULT (.*)/.exec(child.stdout)?.[1]
  if (child.status !== 0 || result === undefined) {
    process.stderr.write(child.stderr)
    return undefined
  }
  const value: Record<string, number> = JSON.parse(result)
  return { result: value, output: child.stdout }
}
