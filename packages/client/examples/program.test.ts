import { describe, expect, it } from "@effect/vitest"
import { Builders, LagoClientTest, LagoStore } from "@lago-effect/testing"
import { Effect } from "effect"
import { countByCurrency, onboard, program } from "./program.js"

describe("the README example, against the test layer", () => {
  it.effect("onboards a customer, then counts customers by currency", () =>
    Effect.gen(function*() {
      const result = yield* program
      expect(result.onboarded.portalUrl).toContain("/customer-portal/")
      expect(result.onboarded.usage).toBe(0)
      expect(result.currencies).toEqual(new Map([["EUR", 11]]))
    }).pipe(Effect.provide(LagoClientTest.layer({ customers: 10 }))))

  it.effect("reads the usage once the test seeds a subscription", () =>
    Effect.gen(function*() {
      const store = yield* LagoStore.LagoStore
      yield* store.setUsage(
        "acme",
        "sub_1",
        Builders.customerUsage({ amount_cents: 1000, taxes_amount_cents: 234, total_amount_cents: 1234 })
      )
      expect((yield* onboard("acme")).usage).toBe(1234)
      expect(yield* countByCurrency).toEqual(new Map([["EUR", 1]]))
    }).pipe(Effect.provide(LagoClientTest.layer())))
})
