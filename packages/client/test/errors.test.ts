import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient, RetryPolicy } from "@lago-effect/client"
import { Customer } from "@lago-effect/core"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, Exit, Schema } from "effect"
import { liveLayer, requests } from "./helpers.js"

const seed = {
  customers: [Builders.customerInput({ external_id: "acme" })],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme" })]
}

const inject = (fault: Fault.Fault) =>
  Effect.flatMap(LagoFake.LagoFake, (fake) => fake.inject({ fault, route: "findCustomer", times: 1 }))

const findOnce = Effect.flatMap(
  LagoClient.LagoClient,
  (lago) => lago.customers.find("acme").pipe(LagoClient.withRetry(RetryPolicy.none), Effect.flip)
)

describe("LagoClient errors", () => {
  describe("every non-2xx maps to its tag, whatever the body", () => {
    const cases = [
      [400, "{\"status\":400,\"error\":\"BadRequest: param is missing\"}", "LagoBadRequestError", undefined],
      [401, "{\"status\":401,\"error\":\"Unauthorized\"}", "LagoUnauthorizedError", undefined],
      [
        403,
        "{\"status\":403,\"error\":\"Forbidden\",\"code\":\"read_action_not_allowed_for_customer\"}",
        "LagoForbiddenError",
        "read_action_not_allowed_for_customer"
      ],
      [404, "", "LagoNotFoundError", undefined],
      [405, "{\"status\":405,\"error\":\"Method Not Allowed\",\"code\":\"x\"}", "LagoMethodNotAllowedError", "x"],
      [
        422,
        "{\"status\":422,\"error\":\"Unprocessable Entity\",\"code\":\"validation_errors\",\"error_details\":{\"email\":[\"invalid_email_format\"]}}",
        "LagoValidationError",
        "validation_errors"
      ],
      [429, "", "LagoRateLimitError", undefined],
      [500, "{\"status\":500,\"error\":\"Internal Server Error\"}", "LagoServerError", undefined],
      [502, "<html><body>Bad gateway</body></html>", "LagoServerError", undefined],
      [503, "", "LagoServerError", undefined],
      [408, "", "LagoUnexpectedStatusError", undefined],
      [409, "not json", "LagoUnexpectedStatusError", undefined]
    ] as const
    it.layer(liveLayer({ seed }))((it) => {
      it.effect.each(cases)("%i %j → %s", ([status, body, tag, code]) =>
        Effect.gen(function*() {
          yield* inject(Fault.status(status, { body, headers: { "content-type": "text/html" } }))
          const error = yield* findOnce
          expect(error._tag).toBe(tag)
          assert("status" in error)
          expect(error.status).toBe(status)
          expect("code" in error ? error.code : undefined).toBe(code)
          const sent = (yield* requests).at(-1)?.headers["x-request-id"]
          expect(error.requestId).toBe(sent)
          expect(error.method).toBe("GET")
          expect(error.url).toBe("http://lago.test/api/v1/customers/acme")
        }))
    })
  })

  it.layer(liveLayer({ seed }))("Lago's own failures", (it) => {
    it.effect("404 customer_not_found from the store", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const error = yield* Effect.flip(lago.customers.find("nobody"))
        assert(error._tag === "LagoNotFoundError")
        expect(error.code).toBe("customer_not_found")
        expect(error.error).toBe("Not Found")
      }))

    it.effect("422 with error_details on an invalid create", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const error = yield* Effect.flip(lago.customers.create({ external_id: "x", currency: "euros" }))
        assert(error._tag === "LagoValidationError")
        expect(error.error_details).toEqual({ currency: ["value_is_invalid"] })
      }))

    it.effect("405 no_active_subscription and 404 resource_not_found on current usage", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const noSubscription = yield* Effect.flip(
          lago.customers.findCurrentUsage("acme", { external_subscription_id: "nope" })
        )
        assert(noSubscription._tag === "LagoMethodNotAllowedError")
        expect(noSubscription.code).toBe("no_active_subscription")
        const noCustomer = yield* Effect.flip(
          lago.customers.findCurrentUsage("nobody", { external_subscription_id: "sub" })
        )
        assert(noCustomer._tag === "LagoNotFoundError")
        expect(noCustomer.code).toBe("resource_not_found")
      }))

    it.effect("404 applied_coupon_not_found", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const error = yield* Effect.flip(lago.customers.deleteAppliedCoupon("acme", "unknown"))
        assert(error._tag === "LagoNotFoundError")
        expect(error.code).toBe("applied_coupon_not_found")
      }))

    it.effect("a 2xx body of the wrong shape is LagoDecodeError, with the parse issue", () =>
      Effect.gen(function*() {
        const customer = Schema.encodeSync(Customer.Customer)(Builders.customer())
        yield* inject(Fault.status(200, { body: JSON.stringify({ customer: { ...customer, external_id: 42 } }) }))
        const error = yield* findOnce
        assert(error._tag === "LagoDecodeError")
        expect(error.status).toBe(200)
        expect(error.issue).toContain("customer.external_id: Expected string, actual 42")
        expect(error.message).toContain("Lago findCustomer: the response could not be decoded")
      }))

    it.effect("a 2xx body that is not JSON is LagoDecodeError", () =>
      Effect.gen(function*() {
        yield* inject(Fault.malformedJson)
        const error = yield* findOnce
        expect(error._tag).toBe("LagoDecodeError")
      }))

    it.effect("a dropped connection is LagoTransportError with its errno", () =>
      Effect.gen(function*() {
        yield* inject(Fault.drop("ECONNRESET"))
        const reset = yield* findOnce
        assert(reset._tag === "LagoTransportError")
        expect([reset.phase, reset.errno]).toEqual(["request", "ECONNRESET"])
        yield* inject(Fault.drop("ECONNREFUSED"))
        const refused = yield* findOnce
        assert(refused._tag === "LagoTransportError")
        expect(refused.phase).toBe("connect")
      }))

    it.effect("a body cut mid-JSON is LagoTransportError in the response phase", () =>
      Effect.gen(function*() {
        yield* inject(Fault.cutBody(0.5))
        const error = yield* findOnce
        assert(error._tag === "LagoTransportError")
        expect(error.phase).toBe("response")
      }))

    it.effect.each(["", ".", ".."])(
      "id %j fails with LagoInvalidInputError before any request",
      (id) =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          const before = (yield* requests).length
          const errors = yield* Effect.all([
            Effect.flip(lago.customers.find(id)),
            Effect.flip(lago.customers.destroy(id)),
            Effect.flip(lago.customers.getPortalUrl(id)),
            Effect.flip(lago.customers.findCurrentUsage(id, { external_subscription_id: "s" })),
            Effect.flip(lago.customers.deleteAppliedCoupon("acme", id)),
            Effect.flip(lago.customers.deleteAppliedCoupon(id, "coupon"))
          ])
          for (const error of errors) {
            assert(error._tag === "LagoInvalidInputError")
          }
          expect(errors.map((e) => e._tag === "LagoInvalidInputError" && e.field)).toEqual([
            "external_id",
            "external_id",
            "external_id",
            "external_id",
            "applied_coupon_id",
            "external_id"
          ])
          expect((yield* requests).length).toBe(before)
        })
    )

    it.effect("an input that does not encode fails before any request", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const before = (yield* requests).length
        const blank = yield* Effect.flip(lago.customers.create({ external_id: "  " }))
        assert(blank._tag === "LagoInvalidInputError")
        expect([blank.field, blank.reason]).toEqual(["external_id", "must not be blank"])
        const long = yield* Effect.flip(lago.customers.create({ external_id: "acme", name: "x".repeat(256) }))
        assert(long._tag === "LagoInvalidInputError")
        expect(long.reason).toContain("name")
        const per_page = yield* Effect.flip(lago.customers.findAll({ per_page: 0 }))
        assert(per_page._tag === "LagoInvalidInputError")
        expect(per_page.field).toBe("per_page")
        expect((yield* requests).length).toBe(before)
      }))

    it.effect("nothing reaches the caller as a defect", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        for (const fault of [Fault.malformedJson, Fault.cutBody(0.1), Fault.drop(), Fault.status(599, { body: "x" })]) {
          yield* inject(fault)
          const exit = yield* Effect.exit(lago.customers.find("acme").pipe(LagoClient.withRetry(RetryPolicy.none)))
          assert(Exit.isFailure(exit))
          expect(exit.cause._tag).toBe("Fail")
        }
      }))
  })

  it.effect("absurd numbers in rate limit headers are ignored, never a defect", () =>
    Effect.gen(function*() {
      const huge = "9".repeat(310)
      yield* inject(Fault.status(429, {
        headers: {
          "retry-after": huge,
          "retry-after-ms": huge,
          "x-ratelimit-limit": huge,
          "x-ratelimit-remaining": "1e400",
          "x-ratelimit-reset": `${huge}, 3`
        }
      }))
      const error = yield* findOnce
      assert(error._tag === "LagoRateLimitError")
      expect([error.limit, error.remaining, error.reset, error.retryAfterMillis]).toEqual([
        undefined,
        undefined,
        3,
        3_000
      ])
      expect(() => JSON.stringify(error)).not.toThrow()
    }).pipe(Effect.provide(liveLayer({ seed }))))
})
