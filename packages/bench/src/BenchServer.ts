/**
 * What the benchmark scripts share: how they bundle what a measured process runs (plain
 * JavaScript, no TypeScript loader), and starting the bundled Lago-shaped server.
 */
import type { BuildOptions } from "esbuild"
import { type ChildProcess, spawn } from "node:child_process"

/** esbuild options for a Node bundle of the workspace's sources (entries and output added by the caller). */
export const bundleOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["source"],
  logLevel: "warning",
  outExtension: { ".js": ".mjs" },
  // Bundled CommonJS dependencies (undici) still call require for node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
}

/** A running benchmark server: its origin (`http://127.0.0.1:<port>`) and its process. */
export interface BenchServer {
  readonly origin: string
  readonly process: ChildProcess
}

/** Starts the bundled server at `script` with `args`; resolves once it prints `READY <port>`. */
export const start = (script: string, args: ReadonlyArray<string>): Promise<BenchServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] })
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const ready = /READY (\d+)/.exec(output)
      if (ready !== null) resolve({ origin: `http://127.0.0.1:${ready[1]}`, process: child })
    })
    child.on("error", reject)
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)))
  })
