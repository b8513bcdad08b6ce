import { assert, describe, expect, it } from "@effect/vitest"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, TestClock } from "effect"

const key = "fake_key"
const auth = { authorization: `Bearer ${key}`, accept: "application/json" }

const call = (method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}) =>
  Effect.flatMap(LagoFake.LagoFake, (fake) =>
    Effect.map(
      fake.handle({ method, url, headers: options.headers ?? auth, body: options.body ?? "" }),
      (outcome) => {
        assert(outcome._tag === "Respond")
        const body = outcome.response.body === "" ? undefined : JSON.parse(outcome.response.body)
        return { status: outcome.response.status, headers: outcome.response.headers, body }
      }
    ))

const layer = LagoFake.layer({ apiKey: key, seed: { customers: 3 } })

describe("LagoFake wire", () => {
  it.layer(layer)((it) => {
    it.effect("serves Lago's envelopes", () =>
      Effect.gen(function*() {
        const one = yield* call("GET", "/api/v1/customers/customer_1")
        expect(one.status).toBe(200)
        expect(one.headers["content-type"]).toContain("application/json")
        expect(one.body.customer.external_id).toBe("customer_1")
        expect(one.body.customer.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
        const list = yield* call("GET", "/api/v1/customers?per_page=2")
        expect(Object.keys(list.body)).toEqual(["customers", "meta"])
        expect(list.body.meta).toEqual({
          current_page: 1,
          next_page: 2,
          prev_page: null,
          total_pages: 2,
          total_count: 3
        })
        const created = yield* call("POST", "/api/v1/customers", {
          body: JSON.stringify({ customer: { external_id: "new", name: "New" } })
        })
        expect([created.status, created.body.customer.name]).toEqual([200, "New"])
      }))

    it.effect("answers Lago's error bodies", () =>
      Effect.gen(function*() {
        expect(yield* call("GET", "/api/v1/customers/nobody")).toMatchObject({
          status: 404,
          body: { status: 404, error: "Not Found", code: "customer_not_found" }
        })
        expect(yield* call("GET", "/api/v1/customers", { headers: {} })).toMatchObject({
          status: 401,
          body: { status: 401, error: "Unauthorized" }
        })
        expect(yield* call("POST", "/api/v1/customers", { body: "{\"name\":\"x\"}" })).toMatchObject({
          status: 400,
          body: { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: customer" }
        })
        expect(yield* call("POST", "/api/v1/customers", { body: "{not json" })).toMatchObject({ status: 400 })
        expect(
          yield* call("POST", "/api/v1/customers", { body: JSON.stringify({ customer: { name: "Foo", currency: 1 } }) })
        ).toMatchObject({
          status: 422,
          body: {
            code: "validation_errors",
            error_details: { external_id: ["value_is_mandatory"], currency: ["value_is_invalid"] }
          }
        })
        expect(yield* call("GET", "/api/v1/customers?has_tax_identification_number=maybe")).toMatchObject({
          status: 422,
          body: { error_details: { has_tax_identification_number: ["must be one of: true, false"] } }
        })
        expect((yield* call("GET", "/api/v1/customers?countries[]=USA")).body.error_details).toHaveProperty(
          "countries.0"
        )
      }))

    it.effect("routes like Lago: unknown routes are a JSON 404 resource_not_found, whatever Accept, before auth", () =>
      Effect.gen(function*() {
        const notFound = { status: 404, error: "Not Found", code: "resource_not_found" }
        for (
          const [method, path] of [
            ["GET", "/api/v1/invoices"],
            ["GET", "/api/v1/customerz"],
            ["PUT", "/api/v1/customers/customer_1"],
            ["PATCH", "/api/v1/customers"],
            ["GET", "/api/v1/customers/customer_1.json/portal_url"],
            ["DELETE", "/api/v1/customers/a.b/applied_coupons/c"],
            ["GET", "/api/v1/customers/customer_1/usage"]
          ]
        ) {
          for (const headers of [{ authorization: auth.authorization }, { accept: "text/html" }, {}]) {
            const answer = yield* call(method, path, { headers })
            expect([answer.status, answer.body]).toEqual([404, notFound])
            expect(answer.headers["content-type"]).toContain("application/json")
          }
        }
        // A known route still needs the key.
        expect((yield* call("GET", "/api/v1/customers/customer_1", { headers: {} })).status).toBe(401)
        // The trailing slash is stripped: /customers/ is the list.
        expect((yield* call("GET", "/api/v1/customers/")).body).toHaveProperty("customers")
      }))

    it.effect("echoes a sanitised X-Request-Id, else makes one", () =>
      Effect.gen(function*() {
        const echoed = yield* call("GET", "/api/v1/customers/customer_1", {
          headers: { ...auth, "x-request-id": "abc-123!<script>" }
        })
        expect(echoed.headers["x-request-id"]).toBe("abc-123script")
        const made = yield* call("GET", "/api/v1/customers/customer_1")
        expect(made.headers["x-request-id"]).toMatch(/^fake-/)
      }))

    it.effect("logs every request, without the Authorization header", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.clearRequests
        yield* call("GET", "/api/v1/customers/a%20b/current_usage?external_subscription_id=s")
        const [logged] = yield* fake.requests
        expect(logged).toMatchObject({
          method: "GET",
          operation: "findCustomerCurrentUsage",
          path: "/api/v1/customers/a%20b/current_usage",
          segments: ["customers", "a b", "current_usage"],
          query: [["external_subscription_id", "s"]],
          status: 404
        })
        expect(logged.headers).not.toHaveProperty("authorization")
      }))
  })

  describe("fault plan", () => {
    it.effect("rules apply per route, a number of times, in order", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.inject({ fault: Fault.unavailable(2), route: "findCustomer", times: 2 })
        yield* fake.inject({ fault: Fault.drop("ECONNRESET"), route: "findCustomer", times: 1 })
        const first = yield* call("GET", "/api/v1/customers/customer_1")
        expect([first.status, first.headers["retry-after"]]).toEqual([503, "2"])
        expect((yield* call("GET", "/api/v1/customers/customer_1")).status).toBe(503)
        const dropped = yield* fake.handle({
          method: "GET",
          url: "/api/v1/customers/customer_1",
          headers: auth,
          body: ""
        })
        expect(dropped).toEqual({ _tag: "Drop", errno: "ECONNRESET" })
        expect((yield* call("GET", "/api/v1/customers/customer_1")).status).toBe(200)
        expect((yield* call("GET", "/api/v1/customers")).status).toBe(200)
        expect((yield* fake.requests).map((r) => r.fault)).toEqual(["Status", "Status", "Drop", undefined, undefined])
      }).pipe(Effect.provide(layer)))

    it.effect("cut bodies and malformed JSON", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.inject({ fault: Fault.cutBody(0.25), times: 1 })
        const cut = yield* fake.handle({ method: "GET", url: "/api/v1/customers/customer_1", headers: auth, body: "" })
        assert(cut._tag === "Respond")
        expect(cut.cutAt).toBe(Math.floor(cut.response.body.length * 0.25))
        yield* fake.inject({ fault: Fault.malformedJson, times: 1 })
        const malformed = yield* fake.handle({ method: "GET", url: "/api/v1/customers", headers: auth, body: "" })
        assert(malformed._tag === "Respond")
        expect(() => JSON.parse(malformed.response.body)).toThrow()
      }).pipe(Effect.provide(layer)))

    it.effect("latency delays the answer on the test clock", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.inject({ fault: Fault.latency("3 seconds") })
        const fiber = yield* Effect.fork(call("GET", "/api/v1/customers"))
        yield* TestClock.adjust("2999 millis")
        expect(fiber.unsafePoll()).toBeNull()
        yield* TestClock.adjust("1 millis")
        expect((yield* fiber.await)._tag).toBe("Success")
      }).pipe(Effect.provide(layer)))

    it.effect("a rate limit answers 429 with X-RateLimit-* once the window is used up", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.rateLimit({ limit: 2, window: "1 minute" })
        const first = yield* call("GET", "/api/v1/customers")
        expect([first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-remaining"]]).toEqual(["2", "1"])
        yield* call("GET", "/api/v1/customers")
        yield* TestClock.adjust("20 seconds")
        const limited = yield* call("GET", "/api/v1/customers")
        expect(limited.status).toBe(429)
        expect(limited.headers).toMatchObject({
          "x-ratelimit-limit": "2",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": "40"
        })
        yield* TestClock.adjust("40 seconds")
        expect((yield* call("GET", "/api/v1/customers")).status).toBe(200)
      }).pipe(Effect.provide(layer)))

    it.effect("random faults follow the seed: the same seed, the same faults", () =>
      Effect.gen(function*() {
        const run = Effect.gen(function*() {
          const fake = yield* LagoFake.LagoFake
          yield* fake.randomFaults({ rate: 0.2, seed: 42, faults: [Fault.unavailable(), Fault.status(502)] })
          for (let i = 0; i < 200; i++) yield* call("GET", "/api/v1/customers")
          return (yield* fake.requests).map((r) => r.status)
        }).pipe(Effect.provide(layer))
        const first = yield* run
        expect(yield* run).toEqual(first)
        const failures = first.filter((status) => status !== 200).length
        expect(failures).toBeGreaterThan(20)
        expect(failures).toBeLessThan(60)
      }))
  })

  it.effect("builders give data the fake serves unchanged", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.store.put(Builders.customer({ external_id: "built", sequential_id: 7 }))
      const { body } = yield* call("GET", "/api/v1/customers/built")
      expect(body.customer.slug).toBe("LAG-0001-007")
    }).pipe(Effect.provide(layer)))
})
