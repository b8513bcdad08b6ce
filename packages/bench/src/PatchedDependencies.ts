/**
 * Copies of the installed `effect` and `@effect/platform-node` with the changes that stop
 * response texts and returned values from outliving their use, for the benchmarks to measure
 * what the changes would do upstream (`pnpm bench:bodies`, `pnpm bench:gc`, and `pnpm bench`
 * with `BENCH_PATCHED=1`). The copies are bundled into the probes only; nothing the packages
 * ship uses them.
 *
 * effect 3.22 keeps what some primitives run in closures built by its own code: `Effect.async`
 * calls its register function through an arrow that captures `this` (the effect, and through
 * it the register), and the runtime-flag primitives (`uninterruptible`, `interruptible`,
 * `withRuntimeFlags`, the masks) keep their body as `() => self` or through an arrow capturing
 * `this`. Measured in the probe: while such a closure reaches a response body being read, the
 * text read from it survives young-generation collections after its use, until the next full
 * collection; the same references held by user closures or object fields do not. `Effect.async`
 * also keeps the resume callback its fiber gave it after calling it, and the callback holds the
 * fiber: a fiber that suspended there and returns a page keeps it the same way. The effect copy
 * calls the register directly, keeps the bodies in the primitive's fields, read by one shared
 * function, and drops the resume callback once called. `Effect.cached` keeps texts even then;
 * the platform-node copy reads an undici body's text without it (so a second read of the same
 * response fails, which the client never does).
 */
import * as Fs from "node:fs"
import * as Path from "node:path"

/** One textual change to a compiled file: what it matches, how often, and its replacement. */
interface Change {
  readonly pattern: RegExp
  readonly count: number
  readonly replace: (match: string, ...groups: Array<string | undefined>) => string
}

const effectChanges: ReadonlyArray<Change> = [
  {
    pattern: /if \(this\.effect_instruction_i0\.length !== 1\) \{/g,
    count: 1,
    replace: () => "const register = this.effect_instruction_i0;\n    if (register.length !== 1) {"
  },
  {
    // `internalCall` as ESM and as CommonJS emit it.
    pattern:
      /(?:\(0, _Utils\.)?internalCall\)?\(\(\) => this\.effect_instruction_i0\(proxyResume(, controllerRef\.signal)?\)\)/g,
    count: 2,
    replace: (_, signal) => `register(proxyResume${signal ?? ""})`
  },
  {
    // The resume callback a fiber gives `Effect.async` (it holds the fiber, and so its exit)
    // is dropped once called, instead of staying in the closure for the op's lifetime.
    pattern: /if \(backingResume\) \{\s*backingResume\(effect\);/g,
    count: 1,
    replace: () =>
      "if (backingResume) {\n        const resume = backingResume;\n        backingResume = undefined;\n        resume(effect);"
  },
  {
    pattern: /backingResume = resume;\s*if \(pendingEffect\) \{\s*resume\(pendingEffect\);\s*\}/g,
    count: 1,
    replace: () =>
      "if (pendingEffect) {\n        resume(pendingEffect);\n      } else {\n        backingResume = resume;\n      }"
  },
  {
    pattern: /effect\.effect_instruction_i1 = \(\) => self;/g,
    count: 3,
    replace: () => "effect.effect_instruction_i2 = self;\n  effect.effect_instruction_i1 = bodyOfFlagsOp;"
  },
  {
    pattern:
      /effect\.effect_instruction_i1 = oldFlags => runtimeFlags_\.interruption\(oldFlags\) \? (?:\(0, _Utils\.)?internalCall\)?\(\(\) => this\.effect_instruction_i0\(interruptible\)\) : (?:\(0, _Utils\.)?internalCall\)?\(\(\) => this\.effect_instruction_i0\(uninterruptible\)\);/g,
    count: 2,
    replace: () =>
      "effect.effect_instruction_i2 = this.effect_instruction_i0;\n  effect.effect_instruction_i1 = bodyOfMaskOp;"
  }
]

/** platform-node's undici response: its text read once, without `Effect.cached`. */
const undiciClientChanges: ReadonlyArray<Change> = [
  {
    pattern: /try: \(\) => this\.source\.body\.text\(\),([\s\S]*?)\}\)\.pipe\(Effect\.cached, Effect\.runSync\)/g,
    count: 1,
    replace: (_, rest) => `try: () => this.source.body.text(),${rest ?? ""}})`
  }
]

// The runtime calls a flags primitive's body as a method of the primitive: `this` is the primitive.
const helpers = `
function bodyOfFlagsOp() { return this.effect_instruction_i2 }
function bodyOfMaskOp(oldFlags) {
  return runtimeFlags_.interruption(oldFlags) ? this.effect_instruction_i2(interruptible) : this.effect_instruction_i2(uninterruptible)
}
`

/** `source` with every change applied, or undefined when one does not match as often as expected. */
const apply = (source: string, all: ReadonlyArray<Change>): string | undefined => {
  let patched = source
  for (const change of all) {
    if ((patched.match(change.pattern)?.length ?? 0) !== change.count) return undefined
    patched = patched.replace(change.pattern, change.replace)
  }
  return patched
}

const patchEffect = (source: string): string | undefined => {
  const patched = apply(source, effectChanges)
  return patched === undefined ? undefined : `${patched}${helpers}`
}

const patchUndiciClient = (source: string): string | undefined => apply(source, undiciClientChanges)

/** Copies the package `name` that `from` resolves into `into`, patching one file of both builds. */
const copy = (
  from: string,
  into: string,
  name: string,
  file: string,
  patch: (source: string) => string | undefined
): string | undefined => {
  const installed = Fs.realpathSync(Path.join(from, "node_modules", name))
  const directory = Path.join(into, name)
  Fs.rmSync(directory, { recursive: true, force: true })
  Fs.cpSync(installed, directory, { recursive: true, dereference: true })
  for (const build of ["esm", "cjs"]) {
    const target = Path.join(directory, "dist", build, file)
    const patched = patch(Fs.readFileSync(target, "utf8"))
    if (patched === undefined) return undefined
    Fs.writeFileSync(target, patched)
  }
  return directory
}

/** esbuild options that bundle the patched copies in place of the installed packages. */
export interface Patched {
  readonly alias: Record<string, string>
  /** Where the copies' own dependencies are found (pnpm keeps them beside each package). */
  readonly nodePaths: Array<string>
  /** The copies are directories, not package names: their ES module builds are chosen by field. */
  readonly mainFields: Array<string>
}

/**
 * Copies `effect` and `@effect/platform-node` as `from` (a package directory) resolves them into
 * `into`, patched. Undefined when an installed version does not have the code a patch expects.
 */
export const prepare = (from: string, into: string): Patched | undefined => {
  const effect = copy(from, into, "effect", "internal/core.js", patchEffect)
  const node = copy(from, into, "@effect/platform-node", "internal/httpClientUndici.js", patchUndiciClient)
  if (effect === undefined || node === undefined) return undefined
  const beside = (name: string) => Path.dirname(Fs.realpathSync(Path.join(from, "node_modules", name)))
  return {
    alias: { effect, "@effect/platform-node": node },
    // `@effect/platform-node` is scoped: its siblings are two levels up.
    nodePaths: [beside("effect"), Path.dirname(beside("@effect/platform-node"))],
    mainFields: ["module", "main"]
  }
}
