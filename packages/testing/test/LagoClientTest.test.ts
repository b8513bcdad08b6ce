import { describe, expect, it } from "@effect/vitest"
import type { Customers } from "@lago-effect/client"
import { LagoClient } from "@lago-effect/client"
import { Builders, LagoClientTest, LagoFake, LagoStore } from "@lago-effect/testing"
import { Effect, Exit, FastCheck, Layer, Redacted, Stream } from "effect"

const seed: LagoStore.Seed = {
  customers: [Builders.customerInput({ external_id: "c1" })],
  usage: [{ external_customer_id: "c1", external_subscription_id: "sub", usage: Builders.customerUsage() }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "c1" })]
}

const live = LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "http://lago.test" }).pipe(
  Layer.provide(LagoFake.layerHttpClient({ apiKey: "k", seed }))
)

describe("LagoClientTest", () => {
  it.layer(LagoClientTest.layer(seed))("the layer swap", (it) => {
    it.effect("serves the seven operations from memory", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const created = yield* lago.customers.create({ external_id: "c2", name: "Two" })
        expect((yield* lago.customers.find("c2")).lago_id).toBe(created.lago_id)
        expect((yield* lago.customers.findAll({ per_page: 1 })).meta.total_count).toBe(2)
        expect((yield* lago.customers.findCurrentUsage("c1", { external_subscription_id: "sub" })).amount_cents)
          .toBe(5)
        expect(yield* lago.customers.getPortalUrl("c1")).toContain("/customer-portal/")
        const coupon = yield* lago.customers.deleteAppliedCoupon("c1", seed.appliedCoupons![0].lago_id)
        expect(coupon.status).toBe("terminated")
        expect((yield* lago.customers.destroy("c2")).external_id).toBe("c2")
        expect(yield* Stream.runCount(lago.customers.stream({ per_page: 1 }))).toBe(1)
      }))

    it.effect("fails with the live client's tags and codes", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const notFound = yield* Effect.flip(lago.customers.find("nobody"))
        expect([notFound._tag, "code" in notFound && notFound.code]).toEqual([
          "LagoNotFoundError",
          "customer_not_found"
        ])
        const invalid = yield* Effect.flip(lago.customers.find(".."))
        expect(invalid._tag).toBe("LagoInvalidInputError")
        const validation = yield* Effect.flip(lago.customers.create({ external_id: "x", currency: "eur" }))
        expect(validation._tag).toBe("LagoValidationError")
      }))

    it.effect("lets tests read and change the store", () =>
      Effect.gen(function*() {
        const store = yield* LagoStore.LagoStore
        yield* store.put(Builders.customer({ external_id: "planted", sequential_id: 99, name: "Planted" }))
        const lago = yield* LagoClient.LagoClient
        expect((yield* lago.customers.find("planted")).name).toBe("Planted")
      }))
  })

  for (
    const [name, layer] of [["the test layer", LagoClientTest.layer()], [
      "the live client over the fake",
      live
    ]] as const
  ) {
    it.effect(`${name}: create a then b, list: [b, a], whatever the clock says`, () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        yield* lago.customers.create({ external_id: "a" })
        yield* lago.customers.create({ external_id: "b" })
        const page = yield* lago.customers.findAll({ search_term: "" })
        expect(page.customers.map((c) => c.external_id).filter((id) => id === "a" || id === "b")).toEqual(["b", "a"])
      }).pipe(Effect.provide(layer)))
  }

  type Op =
    | { readonly op: "create"; readonly input: Parameters<Customers.Service["create"]>[0] }
    | { readonly op: "find" | "destroy" | "portal"; readonly id: string }
    | { readonly op: "list"; readonly page: number; readonly per_page: number }
    | { readonly op: "usage"; readonly id: string; readonly subscription: string }
    | { readonly op: "coupon"; readonly id: string; readonly couponId: string }

  const ids = FastCheck.constantFrom("c1", "c2", "c3", "", "..", "a.b")
  const arbitraryOp: FastCheck.Arbitrary<Op> = FastCheck.oneof(
    FastCheck.record({
      op: FastCheck.constant("create" as const),
      input: FastCheck.tuple(Builders.arbitraryCustomerInput, ids, FastCheck.constantFrom("EUR", "bad", undefined))
        .map(([input, external_id, currency]) => ({ ...input, external_id, currency }))
    }),
    FastCheck.record({ op: FastCheck.constantFrom("find" as const, "destroy" as const, "portal" as const), id: ids }),
    FastCheck.record({
      op: FastCheck.constant("list" as const),
      page: FastCheck.integer({ min: 0, max: 3 }),
      per_page: FastCheck.integer({ min: 0, max: 3 })
    }),
    FastCheck.record({
      op: FastCheck.constant("usage" as const),
      id: ids,
      subscription: FastCheck.constantFrom("sub", "x")
    }),
    FastCheck.record({
      op: FastCheck.constant("coupon" as const),
      id: ids,
      couponId: FastCheck.constantFrom(seed.appliedCoupons![0].lago_id, "nope", "")
    })
  )

  const runOp = (op: Op) =>
    Effect.flatMap(LagoClient.LagoClient, ({ customers }): Effect.Effect<unknown, unknown> => {
      switch (op.op) {
        case "create":
          return customers.create(op.input)
        case "find":
          return customers.find(op.id)
        case "destroy":
          return customers.destroy(op.id)
        case "portal":
          return customers.getPortalUrl(op.id)
        case "list":
          return customers.findAll({ page: op.page, per_page: op.per_page })
        case "usage":
          return customers.findCurrentUsage(op.id, { external_subscription_id: op.subscription })
        case "coupon":
          return customers.deleteAppliedCoupon(op.id, op.couponId)
      }
    })

  /** What must agree between the two layers: values, or tags, codes and details. */
  const outcome = (exit: Exit.Exit<unknown, unknown>) =>
    Exit.match(exit, {
      onSuccess: (value) => ({ ok: JSON.parse(JSON.stringify(value)) }),
      onFailure: (cause) => {
        const error = cause._tag === "Fail" ? cause.error : undefined
        return typeof error === "object" && error !== null
          ? {
            failed: "_tag" in error ? error._tag : "?",
            code: "code" in error ? error.code : undefined,
            status: "status" in error ? error.status : undefined,
            details: "error_details" in error ? error.error_details : undefined,
            field: "field" in error ? error.field : undefined
          }
          : { defect: String(cause) }
      }
    })

  it.effect.prop(
    "behaves like the live client over the fake, operation for operation",
    [FastCheck.array(arbitraryOp, { maxLength: 12 })],
    ([ops]) =>
      Effect.gen(function*() {
        const run = <E>(layer: Layer.Layer<LagoClient.LagoClient, E>) =>
          Effect.forEach(ops, (op) => Effect.map(Effect.exit(runOp(op)), outcome)).pipe(Effect.provide(layer))
        const fromTestLayer = yield* run(LagoClientTest.layer(seed))
        const fromLiveClient = yield* run(live)
        expect(fromTestLayer).toEqual(fromLiveClient)
      }),
    { fastCheck: { numRuns: 60 }, timeout: 60_000 }
  )
})
