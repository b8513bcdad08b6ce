// The examples of this package's README, kept runnable.
import { expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Builders, Fault, LagoClientTest, LagoFake, LagoStore } from "@lago-effect/testing"
import { Effect, Fiber, Layer, Redacted, TestClock } from "effect"

// "your code, which yields LagoClient"
const myBillingReport = (externalId: string) =>
  Effect.flatMap(LagoClient.LagoClient, (lago) =>
    Effect.map(
      lago.customers.findCurrentUsage(externalId, { external_subscription_id: "sub_1" }),
      (usage) => usage.amount_cents
    ))

it.effect("bills the customer's usage", () =>
  Effect.gen(function*() {
    const store = yield* LagoStore.LagoStore
    yield* store.setUsage("acme", "sub_1", Builders.customerUsage({ amount_cents: 500 }))
    const total = yield* myBillingReport("acme")
    expect(total).toBe(500)
  }).pipe(Effect.provide(LagoClientTest.layer({ customers: [Builders.customerInput({ external_id: "acme" })] }))))

const live = LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "http://lago.test" }).pipe(
  Layer.provideMerge(LagoFake.layerHttpClient({ seed: { customers: 1 } }))
)

it.effect("survives a rate limit", () =>
  Effect.gen(function*() {
    const fake = yield* LagoFake.LagoFake
    yield* fake.inject({ fault: Fault.rateLimited(5), route: "findCustomer", times: 1 })
    const lago = yield* LagoClient.LagoClient
    const fiber = yield* Effect.fork(lago.customers.find("customer_1"))
    yield* TestClock.adjust("5 seconds")
    yield* Fiber.join(fiber)
    expect((yield* fake.requests).map((r) => r.status)).toEqual([429, 200])
  }).pipe(Effect.provide(live)))
