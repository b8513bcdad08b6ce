/**
 * Decoders compiled from a Schema's AST. The models stay Effect Schemas, the single source of
 * truth; what decodes them on the hot path is JavaScript generated once from the schema, with
 * the same semantics as `Schema.decodeUnknown` for every value it accepts. When the fast path
 * refuses a value, the Schema decoder runs and explains why: the errors are the Schema's own.
 *
 * Supported: structs (with optional keys), records, arrays, unions tried in order, literals,
 * keywords, refinements, declarations and synchronous transformations. A schema using anything
 * else, or a platform that forbids compiling code, is decoded by the Schema decoder alone.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Compiled } from "./internal/codegen.js"
import { compile } from "./internal/codegen.js"
import { FAIL } from "./internal/fast.js"

const maxIssues = 20

/**
 * Every issue of a text that does not decode (up to twenty), each with its path, for an error
 * message: the fast path stops at the first problem, so the text is decoded again by the Schema
 * decoder, collecting them all. A body nested too deeply to print is said so, without values.
 */
const explainWith = <A, I>(schema: Schema.Schema<A, I>) => {
  const decodeAll = Schema.decodeUnknownEither(Schema.parseJson(schema), { errors: "all" })
  return (text: string): string => {
    try {
      const result = decodeAll(text)
      if (Either.isRight(result)) return "the body decodes (it did not when it was read)"
      const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
      const lines = issues.slice(0, maxIssues).map((issue) =>
        `${issue.path.length === 0 ? "(body)" : issue.path.join(".")}: ${issue.message}`
      )
      const more = issues.length > maxIssues ? `; and ${issues.length - maxIssues} more` : ""
      return `${issues.length} issue${issues.length === 1 ? "" : "s"}: ${lines.join("; ")}${more}`
    } catch {
      // Formatting prints the actual values, recursively: a hostile body nested thousands of
      // levels deep overflows the stack. It did not decode all the same; say so without them.
      return "the body does not match the schema (too deeply nested to describe)"
    }
  }
}

/**
 * A schema's decoders: the compiled fast path, the Schema decoder for what it refuses, and an
 * explanation of a text that does not decode.
 *
 * @category models
 * @since 0.1.0
 */
export interface Decoder<A> {
  /** Decodes a parsed value. */
  readonly decode: (input: unknown) => Effect.Effect<A, ParseResult.ParseError>
  /** Decodes JSON text. */
  readonly decodeText: (text: string) => Effect.Effect<A, ParseResult.ParseError>
  /** Every issue of a text that does not decode, with its path (at most twenty). */
  readonly explainText: (text: string) => string
  /** Whether the schema compiled to a fast path (else every decode is the Schema decoder's). */
  readonly compiled: boolean
  /** Whether the fast path decodes a value by itself (when it does not, the Schema decoder runs). */
  readonly fastAccepts: (input: unknown) => boolean
}

/**
 * Compiles a schema into its decoders, each built on its first use: a client defines a decoder
 * per operation, and a program calls few of them. What is never used is never built (the
 * Schema decoder, the explanation, the compiled fast path), which keeps a program's start
 * lighter on the heap.
 *
 * @example
 * ```ts
 * import { CustomersPage, Decoder } from "@lago-effect/core"
 * import { Effect } from "effect"
 *
 * const decoder = Decoder.make(CustomersPage.CustomersPage)
 * const empty = { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 }
 * Effect.runSync(decoder.decodeText(JSON.stringify({ customers: [], meta: empty })))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> => {
  const slow = once(() => Schema.decodeUnknown(schema))
  const slowText = once(() => Schema.decodeUnknown(Schema.parseJson(schema)))
  const explainText = once(() => explainWith(schema))
  const fast = once(() => ({ run: compile(schema.ast) }))
  // The compiled tree mirrors the schema node by node: what it returns, when it does not refuse,
  // is the schema's A (the property tests hold it to the Schema decoder on generated inputs).
  const accepted = (value: unknown): value is A => value !== FAIL
  const decodeWith = (run: Compiled | undefined, input: unknown): Effect.Effect<A, ParseResult.ParseError> => {
    if (run === undefined) return slow()(input)
    const decoded = run(input)
    return accepted(decoded) ? Effect.succeed(decoded) : slow()(input)
  }
  return {
    get compiled() {
      return fast().run !== undefined
    },
    fastAccepts: (input) => {
      const { run } = fast()
      return run !== undefined && run(input) !== FAIL
    },
    decode: (input) => decodeWith(fast().run, input),
    decodeText: (text) => {
      // The fast path looked up once per text.
      const { run } = fast()
      if (run === undefined) return slowText()(text)
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return slowText()(text)
      }
      return decodeWith(run, parsed)
    },
    explainText: (text) => explainText()(text)
  }
}

/** `build`'s result, built on the first call and kept. */
const once = <B>(build: () => B): () => B => {
  let built: { readonly value: B } | undefined
  return () => (built ??= { value: build() }).value
}
