/**
 * The compiled decoders against the Schema decoder they stand in for: on every generated valid
 * value they decode alone, to the same value; on values broken at random they accept exactly
 * what the Schema decoder accepts, and give the same result.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  AppliedCoupon,
  CheckoutUrl,
  Customer,
  CustomersPage,
  CustomerUsage,
  Decoder,
  LagoError,
  PortalUrl,
  ProjectedUsage
} from "@lago-effect/core"
import { Arbitrary, Effect, Either, Exit, FastCheck as fc, ParseResult, Schema } from "effect"
import { NullableBoolean, NullableInt, NullableOpenEnum, NullableString, OpenEnum } from "../src/internal/schemas.js"
import { customerResponse, customersPageResponse, customerUsageResponse } from "./fixtures.js"
import { throughJson } from "./utils.js"

/**
 * A JSON value with one place changed, found by a random walk from the root: a value replaced
 * by any JSON, or a key removed.
 */
const mutate = (value: unknown): fc.Arbitrary<unknown> =>
  fc.tuple(
    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined))
  ).map(([steps, replacement]) => {
    const copy = throughJson(value)
    const path: Array<string | number> = []
    let node: unknown = copy
    for (const step of steps) {
      const keys = Array.isArray(node) ? node.map((_, i) => i) : isObject(node) ? Object.keys(node) : []
      // Stop here now and then, so that every depth is reached.
      if (keys.length === 0 || step % 4 === 0) break
      const key = keys[step % keys.length]
      path.push(key)
      node = Reflect.get(Object(node), key)
    }
    if (path.length === 0) return replacement
    let parent: unknown = copy
    for (const key of path.slice(0, -1)) parent = Reflect.get(Object(parent), key)
    const last = path[path.length - 1]
    if (replacement === undefined) Reflect.deleteProperty(Object(parent), last)
    else Reflect.set(Object(parent), last, replacement)
    return copy
  })

const isObject = (u: unknown): u is object => typeof u === "object" && u !== null

/** Every key of a decoded value's plain objects and arrays, depth first, in their order. */
const keyPaths = (value: unknown, path = "$"): Array<string> =>
  Array.isArray(value)
    ? value.flatMap((item, i) => keyPaths(item, `${path}[${i}]`))
    : isObject(value) && Object.getPrototypeOf(value) === Object.prototype
    ? Object.entries(value).flatMap(([key, item]) => [`${path}.${key}`, ...keyPaths(item, `${path}.${key}`)])
    : []

const suite = <A, I>(name: string, schema: Schema.Schema<A, I>, runs = 40) => {
  const decoder = Decoder.make(schema)
  const slow = Schema.decodeUnknownEither(schema)
  const equivalent = Schema.equivalence(schema)
  const encode = Schema.encodeSync(schema)

  it(`${name} compiles`, () => {
    expect(decoder.compiled).toBe(true)
  })

  it.prop(
    `${name}: every valid value decodes by the fast path alone, to what the Schema decoder gives`,
    [Arbitrary.make(schema)],
    ([value]) => {
      const wire = throughJson(encode(value))
      expect(decoder.fastAccepts(wire)).toBe(true)
      const fast = Effect.runSync(decoder.decode(wire))
      const reference = slow(wire)
      expect(Either.isRight(reference) && equivalent(fast, reference.right)).toBe(true)
      // The same keys in the same order, at every depth (what printing or serializing shows).
      if (Either.isRight(reference)) expect(keyPaths(fast)).toEqual(keyPaths(reference.right))
    },
    { fastCheck: { numRuns: runs }, timeout: 60_000 }
  )

  it.prop(
    `${name}: a value broken anywhere is accepted exactly when the Schema decoder accepts it`,
    [Arbitrary.make(schema).chain((value) => mutate(throughJson(encode(value))))],
    ([wire]) => {
      const reference = slow(wire)
      expect(decoder.fastAccepts(wire)).toBe(Either.isRight(reference))
      const exit = Effect.runSyncExit(decoder.decode(wire))
      expect(Exit.isSuccess(exit)).toBe(Either.isRight(reference))
      if (Exit.isSuccess(exit) && Either.isRight(reference)) expect(equivalent(exit.value, reference.right)).toBe(true)
    },
    { fastCheck: { numRuns: runs * 2 }, timeout: 60_000 }
  )
}

/** Five optional keys among required ones: 32 combinations, more than get code of their own. */
const optionalKeys = ["a", "b", "c", "d", "e"] as const
const combinations = Array.from(
  { length: 2 ** optionalKeys.length },
  (_, mask) => optionalKeys.filter((_, bit) => (mask & (2 ** bit)) !== 0)
)
const ManyOptional = Schema.Struct({
  a: Schema.optionalWith(Schema.String, { exact: true }),
  id: Schema.Number,
  b: Schema.optionalWith(Schema.String, { exact: true }),
  c: Schema.optionalWith(Schema.String, { exact: true }),
  d: Schema.optionalWith(Schema.String, { exact: true }),
  e: Schema.optionalWith(Schema.String, { exact: true })
})

describe("Decoder", () => {
  suite("Customer", Customer.CustomerResponse)
  suite("CustomersPage", CustomersPage.CustomersPage)
  // Usage values nest deeply: fewer, larger cases.
  suite("CustomerUsage", CustomerUsage.CustomerUsageResponse, 20)
  suite("PastUsagePage", CustomerUsage.PastUsagePage, 6)
  suite("ProjectedUsage", ProjectedUsage.ProjectedUsageResponse, 12)
  suite("AppliedCoupon", AppliedCoupon.AppliedCouponResponse)
  suite("AppliedCouponsPage", AppliedCoupon.AppliedCouponsPage)
  suite("CheckoutUrl", CheckoutUrl.CheckoutUrlResponse)
  suite("PortalUrl", PortalUrl.PortalUrlResponse)

  it("decodes the documented payloads by the fast path", () => {
    expect(Decoder.make(Customer.CustomerResponse).fastAccepts(customerResponse)).toBe(true)
    expect(Decoder.make(CustomersPage.CustomersPage).fastAccepts(customersPageResponse)).toBe(true)
    expect(Decoder.make(CustomerUsage.CustomerUsageResponse).fastAccepts(customerUsageResponse)).toBe(true)
  })

  it("text: malformed JSON and a wrong shape are the Schema decoder's errors; every issue is explained", () => {
    const decoder = Decoder.make(CustomersPage.CustomersPage)
    expect(Exit.isFailure(Effect.runSyncExit(decoder.decodeText("{\"customers\": [")))).toBe(true)
    const wrong = JSON.stringify({ customers: [{ lago_id: 1 }, { lago_id: 2 }], meta: {} })
    expect(Exit.isFailure(Effect.runSyncExit(decoder.decodeText(wrong)))).toBe(true)
    const explained = decoder.explainText(wrong)
    expect(explained).toMatch(/^\d+ issues: /)
    expect(explained).toContain("customers.0.lago_id: Expected string, actual 1")
    expect(explained.split("; ")).toHaveLength(21)
    expect(explained).toMatch(/; and \d+ more$/)
  })

  it("builds nothing until first used, and each part once", () => {
    let builds = 0
    const Name = Schema.declare([], {
      decode: () => {
        builds++
        return (input, _, ast) =>
          typeof input === "string" ? ParseResult.succeed(input) : ParseResult.fail(new ParseResult.Type(ast, input))
      },
      encode: () => (input) => ParseResult.succeed(input)
    })
    const decoder = Decoder.make(Schema.Struct({ name: Name }))
    expect(builds).toBe(0)
    expect(Effect.runSync(decoder.decodeText("{\"name\":\"a\"}"))).toEqual({ name: "a" })
    // The fast path alone: the Schema decoder is not built for a value it accepts.
    expect(builds).toBe(1)
    expect(Effect.runSync(decoder.decode({ name: "b" }))).toEqual({ name: "b" })
    expect(decoder.compiled).toBe(true)
    expect(builds).toBe(1)
    expect(Exit.isFailure(Effect.runSyncExit(decoder.decode({ name: 1 })))).toBe(true)
    expect(builds).toBe(2)
    expect(Exit.isFailure(Effect.runSyncExit(decoder.decode({ name: 2 })))).toBe(true)
    expect(decoder.explainText("{\"name\":3}")).toMatch(/^1 issue: name: /)
    expect(builds).toBe(2)
  })

  it.prop(
    "a struct decodes whichever of its optional keys are present, past the combinations it writes code for",
    // Every combination once, in an order of its own each run.
    [fc.shuffledSubarray(combinations, { minLength: combinations.length })],
    ([presences]) => {
      // A decoder of its own per run: every combination is new to it.
      const decoder = Decoder.make(ManyOptional)
      const reference = Schema.decodeUnknownSync(ManyOptional)
      for (const present of presences) {
        const wire = Object.fromEntries([["id", 1], ...present.map((key) => [key, `${key}!`])])
        const decoded = Effect.runSync(decoder.decode(wire))
        expect(decoded).toStrictEqual(reference(wire))
        expect(Object.keys(decoded)).toEqual(Object.keys(reference(wire)))
      }
    },
    { fastCheck: { numRuns: 10 } }
  )

  it("a struct of more optional keys than a mask numbers is built key by key, to the same value", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`)
    const Wide = Schema.Struct(
      Object.fromEntries(keys.map((key) => [key, Schema.optionalWith(Schema.String, { exact: true })]))
    )
    const decoder = Decoder.make(Wide)
    expect(decoder.compiled).toBe(true)
    const wire = Object.fromEntries(keys.filter((_, i) => i % 3 !== 0).map((key) => [key, key]))
    const decoded = Effect.runSync(decoder.decode(wire))
    expect(decoded).toStrictEqual(Schema.decodeUnknownSync(Wide)(wire))
    expect(Object.keys(decoded)).toEqual(Object.keys(wire))
  })

  it("makes plain objects, keys in the Schema decoder's order, keys that plain objects inherit included", () => {
    const Plain = Schema.Struct({
      name: Schema.String,
      toString: Schema.String,
      inner: Schema.Struct({ constructor: Schema.Number, id: Schema.String }),
      valueOf: Schema.optionalWith(Schema.String, { exact: true }),
      note: Schema.optionalWith(Schema.String, { exact: true })
    })
    const decoder = Decoder.make(Plain)
    expect(decoder.compiled).toBe(true)
    const Nested = Schema.Struct({ id: Schema.String, tags: Schema.Array(Schema.Struct({ key: Schema.String })) })
    const nested = Decoder.make(Nested)
    for (
      const wire of [
        { note: "n", inner: { id: "i", constructor: 1 }, toString: "t", name: "a" },
        { valueOf: "v", name: "b", toString: "u", inner: { constructor: 2, id: "j" } }
      ]
    ) {
      const decoded = Effect.runSync(decoder.decode(wire))
      const reference = Schema.decodeUnknownSync(Plain)(wire)
      expect(decoded).toStrictEqual(reference)
      expect(Object.keys(decoded)).toEqual(Object.keys(reference))
      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
      expect(Object.getPrototypeOf(decoded.inner)).toBe(Object.prototype)
    }
    const value = Effect.runSync(nested.decode({ tags: [{ key: "k" }], id: "x" }))
    expect(value).toStrictEqual({ id: "x", tags: [{ key: "k" }] })
    expect(Object.keys(value)).toEqual(["id", "tags"])
    // Made by the compiled code's constructors, and still plain: nothing of theirs shows.
    for (const made of [value, value.tags[0]]) {
      expect(Object.getPrototypeOf(made)).toBe(Object.prototype)
      expect(made.constructor).toBe(Object)
      expect(Object.getOwnPropertyNames(made)).toEqual(Object.keys(made))
    }
  })

  // The scalar checks the compiled code writes out in place (effect's refinements by identity,
  // the nullable scalars from their code annotation) stand for a predicate each: any value.
  const edges = [
    null,
    undefined,
    "",
    "1",
    0,
    -0,
    1,
    -1,
    1.5,
    Number.NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    -(2 ** 53 - 1),
    true,
    false,
    {},
    [],
    [1],
    1n,
    Symbol.for("x"),
    new Number(1),
    new String("s")
  ]
  const scalars = {
    Int: Schema.Int,
    Finite: Schema.Finite,
    NonNegativeInt: Schema.NonNegativeInt,
    annotatedInt: Schema.Int.annotations({ description: "not the same node" }),
    NullableString,
    NullableInt,
    NullableBoolean,
    NullableOpenEnum: NullableOpenEnum(OpenEnum("a", "b"))
  }
  for (const [name, scalar] of Object.entries(scalars)) {
    const Holder = Schema.Struct({ value: scalar })
    const decoder = Decoder.make(Holder)
    it.prop(
      `${name}: its check, written in place, accepts exactly what the Schema decoder accepts`,
      [fc.oneof(fc.constantFrom(...edges), fc.anything())],
      ([value]) => {
        expect(decoder.compiled).toBe(true)
        const accepted = Either.isRight(Schema.decodeUnknownEither(Holder)({ value }))
        expect(decoder.fastAccepts({ value })).toBe(accepted)
        expect(Exit.isSuccess(Effect.runSyncExit(decoder.decode({ value })))).toBe(accepted)
      },
      { fastCheck: { numRuns: 200 } }
    )
  }

  it("a struct with a __proto__ key is left to the Schema decoder", () => {
    const Odd = Schema.Struct({ ["__proto__"]: Schema.String, name: Schema.String })
    expect(Decoder.make(Odd).compiled).toBe(false)
  })

  it("a schema it does not cover falls back to the Schema decoder", () => {
    const decoder = Decoder.make(LagoError.LagoError)
    const error = new LagoError.LagoInvalidInputError({ operation: "x", field: "y", reason: "z" })
    const encoded = Schema.encodeSync(LagoError.LagoError)(error)
    expect(Effect.runSync(decoder.decode(encoded))._tag).toBe("LagoInvalidInputError")
  })
})
