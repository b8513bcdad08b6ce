/**
 * A copy of the installed `effect` with two changes to how its runtime builds closures, for
 * `pnpm bench:bodies` to measure what they would do upstream (the copy is bundled into the
 * probe only; nothing the packages ship uses it).
 *
 * In effect 3.22 some primitives keep what they run in closures built by effect's own code:
 * `Effect.async` calls its register function through an arrow that captures `this` (the
 * effect, and through it the register), and the runtime-flag primitives (`uninterruptible`,
 * `interruptible`, `withRuntimeFlags`, the masks) keep their body as `() => self` or through an
 * arrow capturing `this`. Measured in the probe: while such a closure reaches a response body
 * being read, the text read from it survives young-generation collections after its use, until
 * the next full collection; the same references held by user closures or object fields do not.
 * The copy calls the register directly and keeps the bodies in the primitive's fields, read by
 * one shared function.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"

/** One textual change to `internal/core.js`: what it matches, how often, and its replacement. */
interface Change {
  readonly pattern: RegExp
  readonly count: number
  readonly replace: (match: string, ...groups: Array<string | undefined>) => string
}

const changes: ReadonlyArray<Change> = [
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

// The runtime calls a flags primitive's body as a method of the primitive: `this` is the primitive.
const helpers = `
function bodyOfFlagsOp() { return this.effect_instruction_i2 }
function bodyOfMaskOp(oldFlags) {
  return runtimeFlags_.interruption(oldFlags) ? this.effect_instruction_i2(interruptible) : this.effect_instruction_i2(uninterruptible)
}
`

/** The patched source of `internal/core.js`, or undefined when it is not laid out as expected. */
const patch = (source: string): string | undefined => {
  let patched = source
  for (const change of changes) {
    if ((patched.match(change.pattern)?.length ?? 0) !== change.count) return undefined
    patched = patched.replace(change.pattern, change.replace)
  }
  return `${patched}${helpers}`
}

/**
 * Copies the `effect` package that `from` resolves into `into` and patches both of its builds.
 * Returns the copy's directory and where its own dependencies are found, or undefined when
 * this version of effect does not have the code the patch expects.
 */
export const prepare = (
  from: string,
  into: string
): { readonly directory: string; readonly nodePaths: ReadonlyArray<string> } | undefined => {
  const installed = Fs.realpathSync(Path.join(from, "node_modules", "effect"))
  const directory = Path.join(into, "effect")
  Fs.rmSync(directory, { recursive: true, force: true })
  Fs.cpSync(installed, directory, { recursive: true, dereference: true })
  for (const build of ["esm", "cjs"]) {
    const file = Path.join(directory, "dist", build, "internal", "core.js")
    const patched = patch(Fs.readFileSync(file, "utf8"))
    if (patched === undefined) return undefined
    Fs.writeFileSync(file, patched)
  }
  // pnpm keeps a package's dependencies beside it: effect's own (fast-check) resolve from there.
  return { directory, nodePaths: [Path.dirname(installed)] }
}
