/**
 * One Lago API operation, as data: its id, method, path, whether it may be retried, how its
 * arguments become a request, and the schema of its answer. The tables of operations built
 * from it drive the live client, the in-memory test layer, the fake server's routes, span
 * names and error labels alike.
 *
 * @since 0.1.0
 */
import type { LagoError } from "@lago-effect/core"
import { Decoder } from "@lago-effect/core"
import type { ParseResult } from "effect"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type { QueryParams } from "./CustomersQuery.js"
import { isSucceeded } from "./internal/settled.js"

/**
 * The HTTP methods Lago's customers operations use.
 *
 * @category models
 * @since 0.1.0
 */
export type Method = "GET" | "POST" | "DELETE"

/**
 * What a call sends once its arguments are checked and encoded: the path parameters (raw;
 * they are percent-encoded on the way out), the query and the JSON body.
 *
 * @category models
 * @since 0.1.0
 */
export interface Request {
  readonly params: ReadonlyArray<string>
  readonly query: QueryParams
  readonly body?: unknown
}

/**
 * What routes and labels need of an operation, whatever its arguments and answer.
 *
 * @category models
 * @since 0.1.0
 */
export interface Info {
  /** Lago's operation id, e.g. `findCustomer`: it names spans, errors and fault routes. */
  readonly id: string
  readonly method: Method
  /** The path after the API base URL, parameters in braces: `["customers", "{external_id}"]`. */
  readonly path: ReadonlyArray<string>
  /**
   * Whether sending it twice is harmless. Calls that are not (deleting a customer, asking for a
   * new checkout session) are retried only when the request provably never reached Lago.
   */
  readonly idempotent: boolean
}

/**
 * An operation: `request` turns the caller's arguments into a `Request` (or refuses them
 * before anything is sent), `response` reads Lago's 2xx body.
 *
 * @category models
 * @since 0.1.0
 */
export interface Operation<Id extends string, Args extends ReadonlyArray<unknown>, A, I> extends Info {
  readonly id: Id
  readonly request: (...args: Args) => Effect.Effect<Request, LagoError.LagoInvalidInputError>
  /** Reads and writes the 2xx body. */
  readonly response: Response<A, I>
}

/**
 * What an operation answers: its 2xx body decoded (by a decoder compiled once from the
 * schema, see `Decoder`) into the value the call returns, and back.
 *
 * @category models
 * @since 0.1.0
 */
export interface Response<A, I> {
  /** Decodes a parsed body. */
  readonly decode: (body: unknown) => Effect.Effect<A, ParseResult.ParseError>
  /** Decodes a body as text. */
  readonly decodeText: (body: string) => Effect.Effect<A, ParseResult.ParseError>
  /** Every issue of a body that does not decode, with its path (at most twenty). */
  readonly explain: (body: string) => string
  /** Encodes a value into the body Lago sends (what the fakes answer). */
  readonly encode: (value: A) => Effect.Effect<I, ParseResult.ParseError>
}

/**
 * `Schema.encode(schema)`, built on its first use: only the fakes encode what Lago sends, and
 * a program that never does builds no encoder for each operation.
 */
const encoderOf = <A, I>(schema: Schema.Schema<A, I>) => {
  let encode: ((value: A) => Effect.Effect<I, ParseResult.ParseError>) | undefined
  return (value: A): Effect.Effect<I, ParseResult.ParseError> => (encode ??= Schema.encode(schema))(value)
}

/**
 * A body that is the value itself (a page of a list).
 *
 * @category schemas
 * @since 0.1.0
 */
export const body = <A, I>(schema: Schema.Schema<A, I>): Response<A, I> => {
  const decoder = Decoder.make(schema)
  return {
    decode: decoder.decode,
    decodeText: decoder.decodeText,
    explain: decoder.explainText,
    encode: encoderOf(schema)
  }
}

/**
 * A body that wraps the value (`{"customer": {...}}`): decoded whole, then unwrapped.
 *
 * @category utils
 * @since 0.1.0
 */
export const envelope = <E, I, A>(
  schema: Schema.Schema<E, I>,
  unwrap: (envelope: E) => A,
  wrap: (value: A) => E
): Response<A, I> => {
  const decoder = Decoder.make(schema)
  const encode = encoderOf(schema)
  return {
    decode: (input) => Effect.map(decoder.decode(input), unwrap),
    decodeText: (text) => {
      const decoded = decoder.decodeText(text)
      // Unwrapped at once when already decoded: a call that succeeds takes one step less.
      return isSucceeded(decoded)
        ? Exit.succeed(unwrap(decoded.value))
        : Effect.map(decoded, unwrap)
    },
    explain: decoder.explainText,
    encode: (value) => encode(wrap(value))
  }
}

/**
 * The function of the service that runs an operation.
 *
 * @category models
 * @since 0.1.0
 */
export type Call<Op> = Op extends Operation<string, infer Args, infer A, infer _I>
  ? (...args: Args) => Effect.Effect<A, LagoError.LagoError>
  : never

/**
 * Declares an operation.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <const Id extends string, Args extends ReadonlyArray<unknown>, A, I>(options: {
  readonly id: Id
  readonly method: Method
  /** E.g. `"customers/{external_id}/portal_url"`. */
  readonly path: string
  readonly idempotent: boolean
  /** Given the operation id (for error labels), the encoder of the arguments. */
  readonly request: (id: Id) => (...args: Args) => Effect.Effect<Request, LagoError.LagoInvalidInputError>
  readonly response: Response<A, I>
}): Operation<Id, Args, A, I> => ({
  id: options.id,
  method: options.method,
  path: options.path.split("/"),
  idempotent: options.idempotent,
  request: options.request(options.id),
  response: options.response
})

/**
 * Whether a path segment of a template is a parameter (`{external_id}`).
 *
 * @category guards
 * @since 0.1.0
 */
export const isParam = (segment: string): boolean => segment.startsWith("{") && segment.endsWith("}")

/**
 * Percent-encodes a path segment. Dots too: Lago's router reads `acme.com` as id `acme` with
 * format `com`, while `%2E` reaches it as part of the id.
 *
 * @category utils
 * @since 0.1.0
 */
export const encodeSegment = (segment: string): string => {
  const encoded = encodeURIComponent(segment)
  // Most segments hold no dot: they are spared a pass of the regular expression.
  return encoded.includes(".") ? encoded.replace(/\./g, "%2E") : encoded
}

/**
 * The segments of a request's path: the template with its parameters filled in, in order.
 *
 * @category utils
 * @since 0.1.0
 */
export const segments = (operation: Info, params: ReadonlyArray<string>): ReadonlyArray<string> => {
  let next = 0
  return operation.path.map((segment) => isParam(segment) ? params[next++] ?? "" : segment)
}

/**
 * A path template as it goes on the wire: its literal segments percent-encoded (a string), its
 * parameters by position (a number). Built once per template: a call only encodes its own
 * parameters.
 */
const templates = new WeakMap<ReadonlyArray<string>, ReadonlyArray<string | number>>()

const templateOf = (path: ReadonlyArray<string>): ReadonlyArray<string | number> => {
  let template = templates.get(path)
  if (template === undefined) {
    let next = 0
    template = path.map((segment) => isParam(segment) ? next++ : encodeSegment(segment))
    templates.set(path, template)
  }
  return template
}

/**
 * The path and query of a request, encoded, from the base URL on: `/customers/acme%2Ecom`.
 *
 * @category utils
 * @since 0.1.0
 */
export const pathAndQuery = (operation: Info, request: Request): string => {
  let path = ""
  for (const part of templateOf(operation.path)) {
    path += `/${typeof part === "number" ? encodeSegment(request.params[part] ?? "") : part}`
  }
  if (request.query.length === 0) return path
  const search = new URLSearchParams()
  for (const [key, value] of request.query) search.append(key, value)
  return `${path}?${search.toString()}`
}
