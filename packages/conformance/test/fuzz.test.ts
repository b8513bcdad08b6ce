/**
 * Fuzzed responses: whatever a server (or what stands in front of it) answers, every
 * operation ends in a success or a typed LagoError: never a defect, never a hang.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LagoClient, RetryPolicy } from "@lago-effect/client"
import { LagoError } from "@lago-effect/core"
import { AppliedCoupon, Customer, CustomersPage, CustomerUsage, PortalUrl } from "@lago-effect/core"
import { Arbitrary, Cause, Effect, Exit, FastCheck as fc, Redacted, Schema } from "effect"

type Operation = "create" | "findAll" | "find" | "destroy" | "usage" | "portal" | "coupon"

const operations: ReadonlyArray<Operation> = ["create", "findAll", "find", "destroy", "usage", "portal", "coupon"]

/** Valid bodies of each operation, from the schemas' own generators. */
const validBody = (operation: Operation): fc.Arbitrary<string> => {
  const encoded = <A, I>(schema: Schema.Schema<A, I>) =>
    Arbitrary.make(schema).map((value) => JSON.stringify(Schema.encodeSync(schema)(value)))
  switch (operation) {
    case "findAll":
      return encoded(CustomersPage.CustomersPage)
    case "usage":
      return encoded(CustomerUsage.CustomerUsageResponse)
    case "portal":
      return encoded(PortalUrl.PortalUrlResponse)
    case "coupon":
      return encoded(AppliedCoupon.AppliedCouponResponse)
    default:
      return encoded(Customer.CustomerResponse)
  }
}

const hugeNumbers = fc.constantFrom(
  "{\"customer\":{\"sequential_id\":1e400}}",
  "{\"customers\":[],\"meta\":{\"current_page\":1e308,\"total_pages\":-0,\"total_count\":123456789012345678901234567890}}",
  "{\"status\":1e999,\"error\":\"x\",\"code\":9007199254740993}",
  "{\"customer_usage\":{\"amount_cents\":-1e-400}}",
  "123456789012345678901234567890123456789"
)

const deepNesting = fc.integer({ min: 100, max: 50_000 }).chain((depth) =>
  fc.constantFrom(
    "[".repeat(depth) + "]".repeat(depth),
    "{\"customer\":".repeat(depth) + "{}" + "}".repeat(depth),
    "{\"status\":422,\"error_details\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"
  )
)

/** Bodies of every kind: valid, wrong shapes, cut JSON, not JSON, huge numbers, deep nesting, empty. */
const body = (operation: Operation): fc.Arbitrary<string> =>
  fc.oneof(
    validBody(operation),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    validBody(operation).chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((at) => text.slice(0, at))),
    fc.string({ unit: "binary" }),
    fc.constantFrom("", "<html><body><h1>502 Bad Gateway</h1></body></html>", "null", "true", "\"\"", "{}", "[]"),
    hugeNumbers,
    deepNesting,
    fc.record({ status: fc.anything(), error: fc.anything(), code: fc.anything(), error_details: fc.anything() })
      .map((value) => JSON.stringify(value) ?? "")
  )

const headers = fc.record({
  "content-type": fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/html",
    "text/plain",
    "application/problem+json",
    "application/octet-stream"
  ),
  "retry-after": fc.oneof(fc.constantFrom("0", "1", "-1", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "1e9"), fc.string()),
  "x-request-id": fc.string({ maxLength: 300 }),
  "x-ratelimit-reset": fc.oneof(fc.nat().map(String), fc.string())
}, { requiredKeys: [] })

const status = fc.oneof(
  fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 405, 408, 409, 422, 429, 500, 502, 503, 504),
  fc.integer({ min: 200, max: 599 })
)

const fuzzCase = fc.constantFrom(...operations).chain((operation) =>
  fc.record({ operation: fc.constant(operation), status, headers, body: body(operation) })
)

type FuzzCase = typeof fuzzCase extends fc.Arbitrary<infer A> ? A : never

/** An HttpClient that answers the case, as a network would deliver it. */
const answering = (fuzz: FuzzCase) =>
  HttpClient.make((request) =>
    Effect.sync(() => {
      const headers = new Headers()
      for (const [name, value] of Object.entries(fuzz.headers)) {
        // Header values a real network could carry: no control characters.
        const clean = value.replace(/[^\t\x20-\x7e]/g, "")
        if (clean !== "") headers.set(name, clean)
      }
      const nullBody = [204, 205, 304].includes(fuzz.status)
      return HttpClientResponse.fromWeb(
        request,
        new Response(nullBody ? null : fuzz.body, { status: fuzz.status, headers })
      )
    })
  )

const run = (fuzz: FuzzCase) =>
  Effect.gen(function*() {
    const lago = yield* LagoClient.make({
      apiKey: Redacted.make("fuzz_key"),
      baseUrl: "http://lago.fuzz",
      retry: RetryPolicy.none
    })
    const { customers } = lago
    switch (fuzz.operation) {
      case "create":
        return yield* customers.create({ external_id: "acme", name: "Acme" })
      case "findAll":
        return yield* customers.findAll({ page: 1 })
      case "find":
        return yield* customers.find("acme")
      case "destroy":
        return yield* customers.destroy("acme")
      case "usage":
        return yield* customers.findCurrentUsage("acme", { external_subscription_id: "sub" })
      case "portal":
        return yield* customers.getPortalUrl("acme")
      case "coupon":
        return yield* customers.deleteAppliedCoupon("acme", "coupon")
    }
  }).pipe(Effect.provideService(HttpClient.HttpClient, answering(fuzz)))

describe("fuzzed responses", () => {
  it.live.prop(
    "every operation ends in a success or a typed LagoError, never a defect, never a hang",
    [fuzzCase],
    ([fuzz]) =>
      Effect.gen(function*() {
        const exit = yield* run(fuzz).pipe(Effect.timeout("5 seconds"), Effect.exit)
        if (Exit.isFailure(exit)) {
          // A hang would be a TimeoutException; a defect a Die: both fail here.
          const failure = Cause.failureOption(exit.cause)
          expect(Cause.isDie(exit.cause)).toBe(false)
          expect(failure._tag).toBe("Some")
          if (failure._tag === "Some") {
            expect(LagoError.isLagoError(failure.value)).toBe(true)
            // and the error can be printed, however hostile the body
            expect(typeof failure.value.message).toBe("string")
            expect(typeof String(failure.value)).toBe("string")
            expect(typeof JSON.stringify(failure.value)).toBe("string")
          }
          // A success body can still fail to decode, but a non-2xx never succeeds.
        } else {
          expect(fuzz.status >= 200 && fuzz.status < 300).toBe(true)
        }
      }),
    { timeout: 120_000, fastCheck: { numRuns: 1_200 } }
  )

  it.effect(
    "the generators reach every outcome: successes, decode errors and every response tag",
    () =>
      Effect.gen(function*() {
        const tags = new Set<string>()
        for (const fuzz of fc.sample(fuzzCase, { numRuns: 600, seed: 42 })) {
          const exit = yield* Effect.exit(run(fuzz))
          tags.add(
            Exit.isSuccess(exit) ?
              "success" :
              Cause.failureOption(exit.cause).pipe((o) => o._tag === "Some" ? o.value._tag : "defect")
          )
        }
        for (
          const tag of [
            "success",
            "LagoDecodeError",
            "LagoBadRequestError",
            "LagoNotFoundError",
            "LagoValidationError",
            "LagoRateLimitError",
            "LagoServerError",
            "LagoUnexpectedStatusError",
            "LagoRedirectError"
          ]
        ) {
          expect(tags).toContain(tag)
        }
        expect(tags).not.toContain("defect")
      }),
    60_000
  )
})
