/**
 * Compiles a Schema AST into straight-line JavaScript: one function per struct, array, record
 * and union, each check written out in place (`typeof v !== "string"`), each call site calling
 * one known function. The Schema interpreter walks the AST on every value; this code is written
 * once per schema, and decodes a populated customer several times faster.
 *
 * The generated code has the Schema decoder's semantics for every input it accepts; it returns
 * `FAIL` for the rest, and the Schema decoder then runs to say why. Property names and literals
 * come from the schema, never from input, and are embedded with `JSON.stringify`.
 */
import type { Either } from "effect"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { FAIL, FastDecodeId, FastGuardCodeId, FastGuardId } from "./fast.js"

/** A compiled decoder: the decoded value, or `FAIL`. */
export type Compiled = (input: unknown) => unknown

class Unsupported {
  constructor(readonly reason: string) {}
}

const noOptions: SchemaAST.ParseOptions = {}

const isFunction = (u: unknown): u is (...args: ReadonlyArray<never>) => unknown => typeof u === "function"

/** A guard written as code: a boolean expression of the variable it is given the name of. */
type GuardCode = (variable: string) => string

const isGuardCode = (u: unknown): u is GuardCode => typeof u === "function"

/**
 * Effect's own refinements the customers carry, checked in place rather than through their
 * `filter` (which wraps the predicate's answer in an `Option`): known by identity, so what is
 * checked is exactly what effect's predicates check (`Schema.Int`: `Number.isSafeInteger`).
 */
const knownRefinements: ReadonlyMap<SchemaAST.AST, GuardCode> = new Map<SchemaAST.AST, GuardCode>([
  [Schema.Int.ast, (v) => `Number.isSafeInteger(${v})`],
  [Schema.Finite.ast, (v) => `Number.isFinite(${v})`],
  // `NonNegative.pipe(int())`: `a >= 0`, then `Number.isSafeInteger`.
  [Schema.NonNegativeInt.ast, (v) => `Number.isSafeInteger(${v}) && ${v} >= 0`]
])

/** The generated entry point: a function of one value (we wrote its code). */
const isCompiled = (u: unknown): u is Compiled => typeof u === "function"

/** The factory `new Function` made: a function of the generated code's free names. */
const isFactory = (
  u: unknown
): u is (refs: ReadonlyArray<unknown>, fail: symbol, hasOwn: unknown, unwrap: unknown, opts: unknown) => unknown =>
  typeof u === "function"

/** The generator's state: functions written so far, and the values their code refers to. */
class Generator {
  readonly functions: Array<string> = []
  readonly refs: Array<unknown> = []
  private readonly memo = new Map<SchemaAST.AST, string>()
  private vars = 0

  /** A name for a value the code refers to. */
  ref(value: unknown): string {
    this.refs.push(value)
    return `r[${this.refs.length - 1}]`
  }

  variable(): string {
    return `v${this.vars++}`
  }

  /**
   * Statements that decode the value in `input` into the variable `output` (declared by the
   * caller), returning `FAIL` from the enclosing function when it does not decode.
   */
  emit(ast: SchemaAST.AST, input: string, output: string): string {
    if (ast.annotations[SchemaAST.ParseOptionsAnnotationId] !== undefined) {
      throw new Unsupported("parse options annotation")
    }
    switch (ast._tag) {
      case "StringKeyword":
      case "NumberKeyword":
      case "BooleanKeyword": {
        const type = ast._tag === "StringKeyword" ? "string" : ast._tag === "NumberKeyword" ? "number" : "boolean"
        return `if (typeof ${input} !== "${type}") return FAIL; ${output} = ${input};`
      }
      case "UnknownKeyword":
      case "AnyKeyword":
        return `${output} = ${input};`
      case "UndefinedKeyword":
        return `if (${input} !== undefined) return FAIL; ${output} = ${input};`
      case "Literal": {
        const literal = ast.literal
        if (typeof literal === "bigint") throw new Unsupported("bigint literal")
        return `if (${input} !== ${JSON.stringify(literal)}) return FAIL; ${output} = ${input};`
      }
      case "Declaration":
        return this.declaration(ast, input, output)
      case "Refinement":
        return this.refinement(ast, input, output)
      case "Transformation":
        return this.transformation(ast, input, output)
      case "TypeLiteral":
      case "TupleType":
      case "Union": {
        const fn = this.function(ast)
        return `${output} = ${fn}(${input}); if (${output} === FAIL) return FAIL;`
      }
      default:
        throw new Unsupported(ast._tag)
    }
  }

  /**
   * A check written in place: the value read once into a variable of its own, kept as is.
   * Written out, a scalar check costs no call, and the optimizing compiler no inlining: in a
   * short-lived process that decodes a few thousand customers, compiling the decoder costs
   * more than running it.
   */
  private inPlace(check: GuardCode, input: string, output: string): string {
    const value = this.variable()
    return `const ${value} = ${input}; if (!(${check(value)})) return FAIL; ${output} = ${value};`
  }

  private declaration(ast: SchemaAST.Declaration, input: string, output: string): string {
    const code: unknown = ast.annotations[FastGuardCodeId]
    if (isGuardCode(code)) return this.inPlace(code, input, output)
    const guard: unknown = ast.annotations[FastGuardId]
    if (isFunction(guard)) return `if (!${this.ref(guard)}(${input})) return FAIL; ${output} = ${input};`
    const decode = this.ref(ast.decodeUnknown(...ast.typeParameters))
    return `${output} = unwrap(${decode}(${input}, opts, ${this.ref(ast)})); if (${output} === FAIL) return FAIL;`
  }

  private refinement(ast: SchemaAST.Refinement, input: string, output: string): string {
    const known = knownRefinements.get(ast)
    if (known !== undefined) return this.inPlace(known, input, output)
    const from = this.variable()
    return `let ${from}; ${this.emit(ast.from, input, from)} ` +
      `if (${this.ref(ast.filter)}(${from}, opts, ${this.ref(ast)})._tag === "Some") return FAIL; ${output} = ${from};`
  }

  private transformation(ast: SchemaAST.Transformation, input: string, output: string): string {
    const from = this.variable()
    const head = `let ${from}; ${this.emit(ast.from, input, from)} `
    const fastDecode: unknown = ast.annotations[FastDecodeId]
    if (isFunction(fastDecode)) {
      return `${head}${output} = ${this.ref(fastDecode)}(${from}); if (${output} === FAIL) return FAIL;`
    }
    const transformation = ast.transformation
    if (transformation._tag === "ComposeTransformation") return `${head}${this.emit(ast.to, from, output)}`
    if (transformation._tag !== "FinalTransformation") throw new Unsupported(transformation._tag)
    const to = this.variable()
    return `${head}let ${to} = unwrap(${this.ref(transformation.decode)}(${from}, opts, ${
      this.ref(ast)
    }, ${input})); if (${to} === FAIL) return FAIL; ${this.emit(ast.to, to, output)}`
  }

  /** The name of the function that decodes a struct, array, record or union (written once). */
  private function(ast: SchemaAST.TypeLiteral | SchemaAST.TupleType | SchemaAST.Union): string {
    const known = this.memo.get(ast)
    if (known !== undefined) return known
    const name = `f${this.memo.size}`
    this.memo.set(ast, name)
    const body = ast._tag === "TypeLiteral"
      ? this.typeLiteral(ast)
      : ast._tag === "TupleType"
      ? this.tupleType(ast)
      : this.union(ast)
    this.functions.push(`function ${name}(i) { ${body} }`)
    return name
  }

  private typeLiteral(ast: SchemaAST.TypeLiteral): string {
    const record = `if (typeof i !== "object" || i === null || Array.isArray(i)) return FAIL;`
    if (ast.indexSignatures.length > 0) {
      const [index, ...more] = ast.indexSignatures
      if (more.length > 0 || ast.propertySignatures.length > 0 || index.parameter._tag !== "StringKeyword") {
        throw new Unsupported("index signature")
      }
      const value = this.variable()
      // Assigning "__proto__" would set the prototype: the Schema decoder explains that key.
      return `${record} const o = {}; for (const k of Object.keys(i)) { if (k === "__proto__") return FAIL; ` +
        `let ${value}; ${this.emit(index.type, "i[k]", value)} o[k] = ${value}; } return o;`
    }
    return `${record} ${this.struct(ast.propertySignatures)}`
  }

  /**
   * A struct's keys decoded into variables, then its object made in one allocation, with the
   * Schema decoder's keys in its order. Built key by key, an object of forty keys outgrows its
   * property store a dozen times (V8 grows it three slots at a time): twice the garbage of the
   * decoded value itself, and the scavenges it causes. A constructor of the struct's keys
   * (`makerOf`) has every key in the object from the start. With optional keys, each
   * combination of present keys (a bit each in `m`) has a constructor of its own, written when
   * first seen (`builders`); past a few combinations, or with too many optional keys to
   * number, the object is built key by key. Each struct keeps the builder of the last
   * combination it met (`k…`, `b…` in the code), since a page's objects mostly share theirs:
   * looking it up by mask (a call and a `Map`) costs more than making the object until the code
   * is optimized, which is most of a short-lived process.
   *
   * Why a constructor rather than an object literal: V8 tracks the allocation site of every
   * literal (a memento behind each young object), and once most of a site's objects outlive a
   * young collection (pages of customers held while others are fetched) it may allocate all
   * later ones directly in the old generation; there, dead, they keep their young fields alive
   * through every young collection until the next full one. Measured reading 200 pages of 100
   * customers from memory, four in flight: young collections 5x longer in most processes. Over
   * loopback the constructors also cost less (S1 at one page in flight: about 6% less CPU).
   * A key that plain objects inherit (`toString`, `constructor`) is set by a literal instead:
   * assigning it would go through the prototype, which a frozen `Object.prototype` refuses.
   */
  private struct(signatures: ReadonlyArray<SchemaAST.PropertySignature>): string {
    if (signatures.some((signature) => signature.name === "__proto__")) throw new Unsupported("__proto__ key")
    if (signatures.filter((signature) => signature.isOptional).length > maxOptionalKeys) {
      return this.stepwise(signatures)
    }
    const keys: Array<string> = []
    const lines: Array<string> = []
    // Each key's bit in `m` when it is optional (0 for a required key, always present).
    const bits: Array<number> = []
    let optional = 0
    const values = signatures.map((signature) => {
      if (typeof signature.name === "symbol") throw new Unsupported("symbol key")
      const key = JSON.stringify(signature.name)
      keys.push(key)
      const value = this.variable()
      const decode = this.emit(signature.type, `i[${key}]`, value)
      // An optional key may be absent; a required one is read even when absent (as undefined),
      // as the Schema decoder reads it.
      if (signature.isOptional) {
        const bit = 2 ** optional++
        lines.push(`let ${value}; if (hasOwn.call(i, ${key})) { ${decode} m |= ${bit}; }`)
        bits.push(bit)
      } else {
        lines.push(`let ${value}; { ${decode} }`)
        bits.push(0)
      }
      return value
    })
    const present = (index: number, mask: number) => bits[index] === 0 || (mask & bits[index]) !== 0
    const fields = (mask: number) =>
      keys.flatMap((key, index) => present(index, mask) ? [[key, values[index]] as const] : [])
    const literal = (mask: number) => `{ ${fields(mask).map(([key, value]) => `${key}: ${value}`).join(", ")} }`
    const byConstructor = signatures.every((signature) => !(signature.name in Object.prototype))
    if (optional === 0) {
      const make = byConstructor ? makerOf(values, fields(0)) : undefined
      const made = make === undefined ? literal(0) : `new ${this.ref(make)}(${values.join(", ")})`
      return `${lines.join("\n")}\nreturn ${made};`
    }
    const keyByKey = `const o = {}; ${
      keys.map((key, index) =>
        bits[index] === 0 ? `o[${key}] = ${values[index]};` : `if (m & ${bits[index]}) o[${key}] = ${values[index]};`
      ).join(" ")
    } return o;`
    const name = `s${this.functions.length}_${this.vars++}`
    // Called with `new`, as the builders are: it gives its own object.
    this.functions.push(`function ${name}(m, ${values.join(", ")}) { ${keyByKey} }`)
    const parameters = ["m", ...values]
    const builders = this.ref(
      buildersOf((mask) =>
        byConstructor ? makerOf(parameters, fields(mask)) : compiledBuilder(parameters, `return ${literal(mask)};`)
      )
    )
    const lastMask = `k${this.functions.length}_${this.vars++}`
    const lastBuilder = `b${this.functions.length}_${this.vars++}`
    this.functions.push(`let ${lastMask} = -1, ${lastBuilder};`)
    return `let m = 0;\n${lines.join("\n")}\n` +
      `if (m !== ${lastMask}) { ${lastBuilder} = ${builders}(m) ?? ${name}; ${lastMask} = m; }\n` +
      `return new ${lastBuilder}(m, ${values.join(", ")});`
  }

  /** A struct built key by key as each is decoded. */
  private stepwise(signatures: ReadonlyArray<SchemaAST.PropertySignature>): string {
    const lines = ["const o = {};"]
    for (const signature of signatures) {
      if (typeof signature.name === "symbol") throw new Unsupported("symbol key")
      const key = JSON.stringify(signature.name)
      const value = this.variable()
      const decode = `let ${value}; ${this.emit(signature.type, `i[${key}]`, value)} o[${key}] = ${value};`
      lines.push(signature.isOptional ? `if (hasOwn.call(i, ${key})) { ${decode} }` : `{ ${decode} }`)
    }
    lines.push("return o;")
    return lines.join("\n")
  }

  private tupleType(ast: SchemaAST.TupleType): string {
    if (ast.elements.length > 0 || ast.rest.length !== 1) throw new Unsupported("tuple")
    const value = this.variable()
    return `if (!Array.isArray(i)) return FAIL; const n = i.length; const o = new Array(n); ` +
      `for (let j = 0; j < n; j++) { let ${value}; ${this.emit(ast.rest[0].type, "i[j]", value)} o[j] = ${value}; } ` +
      `return o;`
  }

  /** Members are tried in order, as the Schema decoder does when no member has literal keys. */
  private union(ast: SchemaAST.Union): string {
    const discriminated = ast.types.some((member) =>
      member._tag === "TypeLiteral" &&
      member.propertySignatures.some((ps) => ps.type._tag === "Literal" || ps.type._tag === "UniqueSymbol")
    )
    if (discriminated) throw new Unsupported("discriminated union")
    const tries = ast.types.map((member) => {
      const fn = this.memberFunction(member)
      return `r0 = ${fn}(i); if (r0 !== FAIL) return r0;`
    })
    return `let r0; ${tries.join(" ")} return FAIL;`
  }

  /** A member of a union as a function of its own, so that its failure tries the next one. */
  private memberFunction(ast: SchemaAST.AST): string {
    const name = `m${this.functions.length}_${this.vars++}`
    const value = this.variable()
    this.functions.push(`function ${name}(i) { let ${value}; ${this.emit(ast, "i", value)} return ${value}; }`)
    return name
  }
}

/** Optional keys of a struct numbered in a mask (a small integer); past this, built key by key. */
const maxOptionalKeys = 30

/** Combinations of present optional keys given a builder of their own, per struct. */
const maxBuilders = 16

/**
 * Makes a struct's object from its decoded values (`mask, ...values`), called with `new`: a
 * constructor (`makerOf`), or a function that returns the object, which `new` then gives.
 */
type Builder = (...values: ReadonlyArray<unknown>) => unknown

const isBuilder = (u: unknown): u is Builder => typeof u === "function"

/**
 * A struct's builder for each combination of present optional keys (`mask`), written when first
 * seen: what a server sends changes rarely, so a decoder meets few. `undefined` past
 * `maxBuilders` combinations (a body cannot make it write code without end), or when the
 * platform refuses to compile one: the struct is then built key by key. The code holds the
 * schema's keys and variable names only.
 */
const buildersOf = (build: (mask: number) => Builder | undefined) => {
  const made = new Map<number, Builder | undefined>()
  return (mask: number): Builder | undefined => {
    const known = made.get(mask)
    if (known !== undefined || made.has(mask)) return known
    if (made.size >= maxBuilders) return undefined
    const builder = build(mask)
    made.set(mask, builder)
    return builder
  }
}

/** A function of `parameters` running `body`, or `undefined` when the platform refuses to compile it. */
const compiledBuilder = (parameters: ReadonlyArray<string>, body: string): Builder | undefined => {
  try {
    const compiled: unknown = new Function(...parameters, `"use strict"; ${body}`)
    return isBuilder(compiled) ? compiled : undefined
  } catch {
    return undefined
  }
}

/**
 * A constructor of `parameters` making a plain object of `fields` (each a key as written in code
 * and the parameter holding its value): an object like the literal's, keys in the same order and
 * `Object.prototype` its prototype (see `struct` for why).
 */
const makerOf = (
  parameters: ReadonlyArray<string>,
  fields: ReadonlyArray<readonly [key: string, value: string]>
): Builder | undefined => {
  const list = parameters.join(", ")
  const assignments = fields.map(([key, value]) => `this[${key}] = ${value};`).join(" ")
  const factory = compiledBuilder(
    [],
    `function O(${list}) { ${assignments} } O.prototype = Object.prototype; return O;`
  )
  if (factory === undefined) return undefined
  const made = factory()
  return isBuilder(made) ? made : undefined
}

/** The value of a synchronous parse result, or FAIL (also for an effectful one). */
const unwrap = (result: Either.Either<unknown, unknown> | unknown): unknown => {
  if (typeof result !== "object" || result === null || !("_tag" in result)) return FAIL
  if (result._tag === "Right" && "right" in result) return result.right
  return FAIL
}

/**
 * Compiles a schema's AST, or `undefined` when it uses what the generator does not cover, or
 * when the platform forbids compiling code (a CSP without `unsafe-eval`, some edge runtimes):
 * the Schema decoder then does all the work.
 */
export const compile = (ast: SchemaAST.AST): Compiled | undefined => {
  const generator = new Generator()
  let entry: string
  try {
    const value = generator.variable()
    entry = `function entry(i) { let ${value}; ${generator.emit(ast, "i", value)} return ${value}; }`
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
  const source = `"use strict";\n${generator.functions.join("\n")}\n${entry}\nreturn entry;`
  try {
    const factory: unknown = new Function("r", "FAIL", "hasOwn", "unwrap", "opts", source)
    if (!isFactory(factory)) return undefined
    const compiled = factory(generator.refs, FAIL, Object.prototype.hasOwnProperty, unwrap, noOptions)
    return isCompiled(compiled) ? compiled : undefined
  } catch {
    return undefined
  }
}
