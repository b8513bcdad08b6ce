import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it, layer } from "@effect/vitest"
import { LagoClient, RetryPolicy } from "@lago-effect/client"
import type { LagoStore } from "@lago-effect/testing"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { LagoFakeServer, layer as serverLayer, layerLagoClient } from "@lago-effect/testing/node"
import { Chunk, Effect, Layer, Redacted, Schedule, Stream } from "effect"

const seed: LagoStore.Seed = {
  customers: [Builders.customerInput({ external_id: "acme.com", name: "Acme" })],
  usage: [{ external_customer_id: "acme.com", external_subscription_id: "sub", usage: Builders.customerUsage() }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme.com" })]
}

/** The fake on a loopback port, and the live client over undici. */
const overSocket = (options: { seed?: LagoStore.Seed; retry?: Partial<RetryPolicy.RetryPolicy> } = {}) => {
  const fake = LagoFake.layer({ apiKey: "socket_key", seed: options.seed ?? seed })
  const server = serverLayer().pipe(Layer.provideMerge(fake))
  return layerLagoClient({ apiKey: "socket_key", retry: options.retry }).pipe(Layer.provideMerge(server))
}

const fast = { backoff: Schedule.spaced("5 millis") }

describe("LagoFake over a loopback socket", () => {
  layer(overSocket({ retry: fast }), { timeout: "30 seconds", excludeTestServices: true })((it) => {
    it.effect("serves every operation to the live client", () =>
      Effect.gen(function*() {
        const server = yield* LagoFakeServer
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/)
        const lago = yield* LagoClient.LagoClient
        const created = yield* lago.customers.create({ external_id: "globex", name: "Globex", email: null })
        expect(created.name).toBe("Globex")
        expect((yield* lago.customers.find("acme.com")).name).toBe("Acme")
        const page = yield* lago.customers.findAll({ per_page: 1, search_term: "o" })
        expect(page.meta.total_count).toBe(2)
        const usage = yield* lago.customers.findCurrentUsage("acme.com", { external_subscription_id: "sub" })
        expect(usage.amount_cents).toBe(5)
        expect(yield* lago.customers.getPortalUrl("acme.com")).toContain("/customer-portal/")
        const coupon = yield* lago.customers.deleteAppliedCoupon("acme.com", seed.appliedCoupons![0].lago_id)
        expect(coupon.status).toBe("terminated")
        expect((yield* lago.customers.destroy("globex")).external_id).toBe("globex")
        const paths = (yield* Effect.flatMap(LagoFake.LagoFake, (f) => f.requests)).map((r) => `${r.method} ${r.path}`)
        expect(paths).toContain("GET /api/v1/customers/acme%2Ecom")
      }))

    it.effect("maps Lago's errors the same way", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const notFound = yield* Effect.flip(lago.customers.find("nobody"))
        assert(notFound._tag === "LagoNotFoundError")
        expect(notFound.code).toBe("customer_not_found")
        expect(notFound.requestId).toMatch(/^[0-9a-f-]{36}$/)
        const invalid = yield* Effect.flip(lago.customers.create({ external_id: "x", email: "nope" }))
        assert(invalid._tag === "LagoValidationError")
        expect(invalid.error_details).toEqual({ email: ["invalid_email_format"] })
        const noSubscription = yield* Effect.flip(
          lago.customers.findCurrentUsage("acme.com", { external_subscription_id: "none" })
        )
        expect(noSubscription._tag).toBe("LagoMethodNotAllowedError")
        const coupon = yield* Effect.flip(lago.customers.deleteAppliedCoupon("acme.com", "missing"))
        assert(coupon._tag === "LagoNotFoundError")
        expect(coupon.code).toBe("applied_coupon_not_found")
        const portal = yield* Effect.flip(lago.customers.getPortalUrl("nobody"))
        expect(portal._tag).toBe("LagoNotFoundError")
        const destroy = yield* Effect.flip(lago.customers.destroy("nobody"))
        expect(destroy._tag).toBe("LagoNotFoundError")
      }))

    it.effect("socket faults reach the client as typed errors", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        const lago = yield* LagoClient.LagoClient
        const once = (fault: Fault.Fault) =>
          Effect.zipRight(
            fake.inject({ fault, route: "findCustomer", times: 1 }),
            Effect.flip(lago.customers.find("acme.com").pipe(LagoClient.withRetry(RetryPolicy.none)))
          )
        const dropped = yield* once(Fault.drop())
        assert(dropped._tag === "LagoTransportError")
        expect(dropped.phase).toBe("request")
        const cut = yield* once(Fault.cutBody())
        assert(cut._tag === "LagoTransportError")
        expect(cut.phase).toBe("response")
        expect((yield* once(Fault.malformedJson))._tag).toBe("LagoDecodeError")
        expect((yield* once(Fault.status(502, { body: "<html>bad gateway</html>" })))._tag).toBe("LagoServerError")
        // and with retries on, the call gets through
        yield* fake.inject({ fault: Fault.drop(), route: "findCustomer", times: 1 })
        yield* fake.inject({ fault: Fault.cutBody(), route: "findCustomer", times: 1 })
        expect((yield* lago.customers.find("acme.com")).name).toBe("Acme")
      }))

    it.effect("a refused connection is a connect-phase transport error, retried even for destroy", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const error = yield* Effect.flip(lago.customers.destroy("acme.com"))
        assert(error._tag === "LagoTransportError")
        expect([error.phase, error.errno]).toEqual(["connect", "ECONNREFUSED"])
      }).pipe(
        Effect.provide(
          LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "http://127.0.0.1:1", retry: { ...fast, times: 1 } })
            .pipe(Layer.provide(NodeHttpClient.layerUndici))
        )
      ))
  })
})

const transientFaults = [
  Fault.unavailable(),
  Fault.rateLimited(0),
  Fault.status(502, { body: "<html>bad gateway</html>" }),
  Fault.drop(),
  Fault.cutBody(0.5)
]

describe("streaming through transient faults", () => {
  it.live(
    "10,000 customers with 20% seeded random faults, in memory: each exactly once, in order",
    () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.randomFaults({ rate: 0.2, seed: 2026, faults: transientFaults })
        const lago = yield* LagoClient.LagoClient
        const streamed = yield* Stream.runCollect(lago.customers.stream({ per_page: 100, concurrency: 4 })).pipe(
          LagoClient.withRetry({ times: 8, backoff: Schedule.spaced("1 millis") })
        )
        const ids = Chunk.toReadonlyArray(streamed).map((c) => c.external_id)
        const expected = (yield* fake.store.customers).map((c) => c.external_id)
        expect(ids).toHaveLength(10_000)
        expect(new Set(ids).size).toBe(10_000)
        expect(ids).toEqual(expected)
        const faults = (yield* fake.requests).filter((r) => r.fault !== undefined).length
        expect(faults).toBeGreaterThan(10)
      }).pipe(
        Effect.provide(
          LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "http://lago.test" }).pipe(
            Layer.provideMerge(LagoFake.layerHttpClient({ apiKey: "k", seed: { customers: 10_000 } }))
          )
        )
      ),
    60_000
  )

  layer(overSocket({ seed: { customers: 10_000 }, retry: { times: 8, backoff: Schedule.spaced("5 millis") } }), {
    timeout: "60 seconds",
    excludeTestServices: true
  })((it) => {
    it.effect(
      "10,000 customers with 20% seeded random faults over the socket: each exactly once, in order",
      () =>
        Effect.gen(function*() {
          const fake = yield* LagoFake.LagoFake
          yield* fake.randomFaults({ rate: 0.2, seed: 7, faults: transientFaults })
          const lago = yield* LagoClient.LagoClient
          const ids = Chunk.toReadonlyArray(
            yield* Stream.runCollect(lago.customers.stream({ per_page: 100, concurrency: 4 }))
          ).map((c) => c.external_id)
          expect(ids).toHaveLength(10_000)
          expect(new Set(ids).size).toBe(10_000)
          expect(ids).toEqual((yield* fake.store.customers).map((c) => c.external_id))
          const faulted = (yield* fake.requests).filter((r) => r.fault !== undefined).map((r) => r.fault)
          expect(new Set(faulted)).toEqual(new Set(["Status", "Drop", "CutBody"]))
        }),
      60_000
    )
  })
})
