import { assert, describe, expect, it } from "@effect/vitest"
import { Builders, LagoStore } from "@lago-effect/testing"
import { DateTime, Effect, FastCheck, TestClock } from "effect"

const store = LagoStore.LagoStore
const flipTag = <A>(effect: Effect.Effect<A, LagoStore.LagoStoreFailure>) =>
  Effect.map(Effect.flip(effect), (failure) => failure.body)

describe("LagoStore", () => {
  describe("upsert", () => {
    it.effect("creates with the server's ids, slug and timestamps", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.unsafeMake("2026-01-01T10:00:00.750Z")))
        const s = yield* store
        const first = yield* s.upsert({ external_id: "a" })
        const second = yield* s.upsert({ external_id: "b" })
        expect(first.lago_id).not.toBe(second.lago_id)
        expect([first.sequential_id, second.sequential_id]).toEqual([1, 2])
        expect(first.slug).toBe("LAG-0001-001")
        // second precision, as Time#iso8601
        expect(DateTime.formatIso(first.created_at)).toBe("2026-01-01T10:00:00.000Z")
        expect(first.applicable_timezone).toBe("UTC")
        expect(first.billing_configuration).toEqual(Builders.emptyBillingConfiguration)
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("updates only the keys sent; null clears; undefined is absent", () =>
      Effect.gen(function*() {
        const s = yield* store
        const created = yield* s.upsert({
          external_id: "a",
          name: "A",
          email: "a@x.test",
          city: "Paris",
          shipping_address: { city: "Lyon", zipcode: "69000" },
          billing_configuration: { document_locale: "fr", invoice_grace_period: 3 }
        })
        yield* TestClock.adjust("1 minute")
        const updated = yield* s.upsert({
          external_id: "a",
          email: null,
          name: undefined,
          shipping_address: { zipcode: null },
          billing_configuration: { invoice_grace_period: null }
        })
        expect(updated.lago_id).toBe(created.lago_id)
        expect([updated.name, updated.email, updated.city]).toEqual(["A", null, "Paris"])
        expect(updated.shipping_address).toMatchObject({ city: "Lyon", zipcode: null })
        expect(updated.billing_configuration).toMatchObject({ document_locale: "fr", invoice_grace_period: null })
        expect(DateTime.greaterThan(updated.updated_at, created.updated_at)).toBe(true)
        expect(updated.created_at).toEqual(created.created_at)
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("metadata, when sent, replaces: ids update, new items are created, the rest deleted", () =>
      Effect.gen(function*() {
        const s = yield* store
        const created = yield* s.upsert({
          external_id: "a",
          metadata: [{ key: "plan", value: "gold" }, { key: "region", value: "eu" }]
        })
        const [plan] = created.metadata
        const updated = yield* s.upsert({
          external_id: "a",
          metadata: [{ id: plan.lago_id, key: "plan", value: "platinum" }, { key: "team", value: "x" }]
        })
        expect(updated.metadata.map((m) => [m.key, m.value])).toEqual([["plan", "platinum"], ["team", "x"]])
        expect(updated.metadata[0].lago_id).toBe(plan.lago_id)
        const untouched = yield* s.upsert({ external_id: "a", name: "n" })
        expect(untouched.metadata).toEqual(updated.metadata)
        const cleared = yield* s.upsert({ external_id: "a", metadata: [] })
        expect(cleared.metadata).toEqual([])
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("answers Lago's 422s and 404s", () =>
      Effect.gen(function*() {
        const s = yield* store
        expect(yield* flipTag(s.upsert({ external_id: "a", currency: "euro", email: "nope" }))).toEqual({
          status: 422,
          error: "Unprocessable Entity",
          code: "validation_errors",
          error_details: { currency: ["value_is_invalid"], email: ["invalid_email_format"] }
        })
        const tooMany = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: "v" }))
        expect((yield* flipTag(s.upsert({ external_id: "a", metadata: tooMany }))).error_details).toEqual({
          metadata: ["invalid_count"]
        })
        expect((yield* flipTag(s.upsert({ external_id: "a", tax_codes: ["vat"] }))).code).toBe("tax_not_found")
        expect((yield* flipTag(s.upsert({ external_id: "a", billing_entity_code: "x" }))).code).toBe(
          "billing_entity_not_found"
        )
        expect(
          (yield* flipTag(s.upsert({
            external_id: "a",
            integration_customers: [{ integration_type: "netsuite" }, { integration_type: "netsuite" }]
          }))).error_details
        ).toEqual({ integration_customers: ["invalid_count_per_integration_type"] })
        expect(yield* s.customers).toEqual([])
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("tax_codes replace the customer's taxes", () =>
      Effect.gen(function*() {
        const s = yield* store
        const vat = {
          lago_id: Builders.uuid(1, 9),
          name: "VAT",
          code: "vat",
          rate: 20,
          applied_to_organization: false,
          created_at: DateTime.unsafeMake(0)
        }
        yield* s.putTaxes([vat])
        const customer = yield* s.upsert({ external_id: "a", tax_codes: ["vat"] })
        expect(customer.taxes).toEqual([vat])
        expect((yield* s.upsert({ external_id: "a", tax_codes: [] })).taxes).toEqual([])
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("emits provider_customer_id only for providers that have one", () =>
      Effect.gen(function*() {
        const s = yield* store
        const stripe = yield* s.upsert({
          external_id: "a",
          billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_1", sync: true }
        })
        expect(stripe.billing_configuration).toMatchObject({
          provider_customer_id: "cus_1",
          provider_payment_methods: ["card"]
        })
        expect("sync" in stripe.billing_configuration).toBe(false)
        const none = yield* s.upsert({ external_id: "a", billing_configuration: { payment_provider: null } })
        expect("provider_customer_id" in none.billing_configuration).toBe(false)
      }).pipe(Effect.provide(LagoStore.layer())))
  })

  describe("delete", () => {
    it.effect("is soft: the id can be created again with a new lago_id; a second delete is 404", () =>
      Effect.gen(function*() {
        const s = yield* store
        const first = yield* s.upsert({ external_id: "a", name: "first" })
        const deleted = yield* s.destroy("a")
        expect(deleted).toEqual(first)
        expect((yield* flipTag(s.destroy("a"))).code).toBe("customer_not_found")
        expect((yield* flipTag(s.find("a"))).code).toBe("customer_not_found")
        const again = yield* s.upsert({ external_id: "a" })
        expect(again.lago_id).not.toBe(first.lago_id)
        expect(again.name).toBeNull()
        expect(yield* s.deleted).toEqual([first])
      }).pipe(Effect.provide(LagoStore.layer())))
  })

  describe("list", () => {
    it.effect("is newest first with Lago's meta; an empty list has current_page 0; past the end is empty", () =>
      Effect.gen(function*() {
        const s = yield* store
        expect((yield* s.list({})).meta).toEqual({
          current_page: 0,
          next_page: null,
          prev_page: null,
          total_pages: 0,
          total_count: 0
        })
        for (const id of ["a", "b", "c", "d", "e"]) {
          yield* s.upsert({ external_id: id })
          yield* TestClock.adjust("1 second")
        }
        const first = yield* s.list({ per_page: 2 })
        expect(first.customers.map((c) => c.external_id)).toEqual(["e", "d"])
        expect(first.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 3, total_count: 5 })
        const last = yield* s.list({ per_page: 2, page: 3 })
        expect(last.customers.map((c) => c.external_id)).toEqual(["a"])
        expect(last.meta).toEqual({ current_page: 3, next_page: null, prev_page: 2, total_pages: 3, total_count: 5 })
        const past = yield* s.list({ per_page: 2, page: 9 })
        expect(past.customers).toEqual([])
        expect(past.meta.total_count).toBe(5)
        expect((yield* s.list({})).customers[0]).not.toHaveProperty("applicable_invoice_custom_sections")
        expect((yield* flipTag(s.list({ per_page: 0 }))).status).toBe(500)
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("applies every filter of §2.2", () =>
      Effect.gen(function*() {
        const s = yield* store
        yield* s.upsert({
          external_id: "fr_co",
          name: "Alpha",
          country: "fr",
          currency: "EUR",
          customer_type: "company",
          tax_identification_number: "FR1",
          metadata: [{ key: "plan", value: "gold" }]
        })
        yield* s.upsert({ external_id: "us_ind", email: "bob@alpha.test", country: "US", state: "CA", zipcode: "9" })
        const ids = (query: Parameters<typeof s.list>[0]) =>
          Effect.map(s.list(query), (page) => page.customers.map((c) => c.external_id).sort())
        expect(yield* ids({ search_term: "ALPHA" })).toEqual(["fr_co", "us_ind"])
        expect(yield* ids({ external_id: "fr_co", search_term: "bob" })).toEqual(["fr_co"])
        expect(yield* ids({ countries: ["FR"] })).toEqual(["fr_co"])
        expect(yield* ids({ states: ["CA"], zipcodes: ["9"] })).toEqual(["us_ind"])
        expect(yield* ids({ currencies: ["EUR", "USD"] })).toEqual(["fr_co"])
        expect(yield* ids({ has_tax_identification_number: false })).toEqual(["us_ind"])
        expect(yield* ids({ customer_type: "company" })).toEqual(["fr_co"])
        expect(yield* ids({ has_customer_type: false })).toEqual(["us_ind"])
        expect(yield* ids({ metadata: { plan: "gold" } })).toEqual(["fr_co"])
        expect(yield* ids({ metadata: { plan: "" } })).toEqual(["us_ind"])
        expect(yield* ids({ account_type: ["partner"] })).toEqual([])
        expect(yield* ids({ billing_entity_codes: ["default"] })).toEqual(["fr_co", "us_ind"])
        expect((yield* flipTag(s.list({ billing_entity_codes: ["nope"] }))).code).toBe("billing_entity_not_found")
      }).pipe(Effect.provide(LagoStore.layer())))
  })

  describe("current usage, coupons and portal URLs", () => {
    it.effect("usage is served exactly as set; only a subset of charges or no taxes is recomputed", () =>
      Effect.gen(function*() {
        const s = yield* store
        yield* s.upsert({ external_id: "a" })
        // Parts that do not add up (as a test may set them): served as they are.
        const set = Builders.customerUsage({ amount_cents: 500, taxes_amount_cents: 100, total_amount_cents: 500 })
        yield* s.setUsage("a", "sub", set)
        expect(yield* s.currentUsage("a", { external_subscription_id: "sub" })).toEqual(set)
        const untaxed = yield* s.currentUsage("a", { external_subscription_id: "sub", apply_taxes: false })
        expect([untaxed.amount_cents, untaxed.taxes_amount_cents, untaxed.total_amount_cents]).toEqual([500, 0, 500])
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("usage per subscription as seeded; 405 otherwise; filters by charge", () =>
      Effect.gen(function*() {
        const s = yield* store
        yield* s.upsert({ external_id: "a" })
        yield* s.setUsage("a", "sub", Builders.customerUsage())
        const usage = yield* s.currentUsage("a", { external_subscription_id: "sub" })
        expect(usage.total_amount_cents).toBe(6)
        const untaxed = yield* s.currentUsage("a", { external_subscription_id: "sub", apply_taxes: false })
        expect([untaxed.taxes_amount_cents, untaxed.total_amount_cents]).toEqual([0, 5])
        expect((yield* flipTag(s.currentUsage("a", { external_subscription_id: "other" }))).code).toBe(
          "no_active_subscription"
        )
        expect((yield* flipTag(s.currentUsage("a", { external_subscription_id: "sub", charge_code: "x" }))).code)
          .toBe("charge_not_found")
        expect((yield* flipTag(s.currentUsage("a", { external_subscription_id: "sub", full_usage: true }))).code)
          .toBe("full_usage_not_allowed")
        yield* s.setUsage("a", "sub", null)
        expect((yield* flipTag(s.currentUsage("a", { external_subscription_id: "sub" }))).status).toBe(405)
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("deleting an applied coupon terminates it, idempotently, with the server's 404 codes", () =>
      Effect.gen(function*() {
        const s = yield* store
        yield* s.upsert({ external_id: "a" })
        yield* s.upsert({ external_id: "b" })
        const coupon = Builders.appliedCoupon({ external_customer_id: "a" })
        yield* s.putAppliedCoupon(coupon)
        expect((yield* flipTag(s.deleteAppliedCoupon("b", coupon.lago_id))).code).toBe("applied_coupon_not_found")
        expect((yield* flipTag(s.deleteAppliedCoupon("zz", coupon.lago_id))).code).toBe("customer_not_found")
        const terminated = yield* s.deleteAppliedCoupon("a", coupon.lago_id)
        expect(terminated.status).toBe("terminated")
        assert(terminated.terminated_at !== null && terminated.terminated_at !== undefined)
        yield* TestClock.adjust("1 hour")
        expect(yield* s.deleteAppliedCoupon("a", coupon.lago_id)).toEqual(terminated)
      }).pipe(Effect.provide(LagoStore.layer())))

    it.effect("gives a new portal URL per call, and 404 for an unknown customer", () =>
      Effect.gen(function*() {
        const s = yield* store
        const urls = new Set([yield* s.portalUrl("customer_1"), yield* s.portalUrl("customer_1")])
        expect(urls.size).toBe(2)
        expect((yield* flipTag(s.portalUrl("x"))).code).toBe("customer_not_found")
      }).pipe(Effect.provide(LagoStore.layer({ customers: 1, frontUrl: "https://portal.test" }))))
  })

  it.effect("lists newest first by creation order, also within the same millisecond", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.unsafeMake("2026-01-01T10:00:00.750Z")))
      const s = yield* store
      for (const id of ["a", "b", "c", "d"]) yield* s.upsert({ external_id: id })
      expect((yield* s.customers).map((c) => c.external_id)).toEqual(["d", "c", "b", "a"])
      const page = yield* s.list({ per_page: 2 })
      expect(page.customers.map((c) => c.external_id)).toEqual(["d", "c"])
      // An update keeps the customer's place; a put of an older customer sorts by its time.
      yield* s.upsert({ external_id: "b", name: "B" })
      yield* s.put(Builders.customer({ external_id: "old", created_at: DateTime.unsafeMake("2000-01-01T00:00:00Z") }))
      expect((yield* s.customers).map((c) => c.external_id)).toEqual(["d", "c", "b", "a", "old"])
    }).pipe(Effect.provide(LagoStore.layer())))

  it.effect("integration customers: category from the type, the first of a category is its default", () =>
    Effect.gen(function*() {
      const s = yield* store
      const customer = yield* s.upsert({
        external_id: "a",
        integration_customers: [
          { integration_type: "netsuite", integration_code: "ns", external_customer_id: "1", subsidiary_id: "2" },
          { integration_type: "anrok", integration_code: "an", external_customer_id: "3" },
          { integration_type: "xero", integration_code: "xe", external_customer_id: "4" },
          { integration_type: "hubspot", integration_code: "hs", targeted_object: "companies" },
          { integration_type: "salesforce", integration_code: "sf", code: "sf-eu" },
          { integration_type: "avalara", integration_code: "av" },
          { integration_type: "okta", integration_code: "ok" }
        ]
      })
      expect(customer.integration_customers?.map((i) => [i.type, i.category, i.is_default, i.code])).toEqual([
        ["netsuite", "accounting", true, "ns"],
        ["anrok", "tax", true, "an"],
        ["xero", "accounting", false, "xe"],
        ["hubspot", "crm", true, "hs"],
        ["salesforce", "crm", false, "sf-eu"],
        ["avalara", "tax", false, "av"],
        [null, null, true, "ok"]
      ])
      expect(customer.integration_customers?.[0].subsidiary_id).toBe("2")
      expect(customer.integration_customers?.[3].targeted_object).toBe("companies")
      expect(customer.integration_customers?.[1]).not.toHaveProperty("subsidiary_id")
    }).pipe(Effect.provide(LagoStore.layer())))

  it.effect("seeds N customers one second apart, newest last created first in lists", () =>
    Effect.gen(function*() {
      const s = yield* store
      const customers = yield* s.customers
      expect(customers.map((c) => c.external_id)).toEqual(["customer_3", "customer_2", "customer_1"])
    }).pipe(Effect.provide(LagoStore.layer({ customers: 3 }))))

  it.effect("accepts every input of the valid-input arbitrary", () =>
    Effect.gen(function*() {
      const s = yield* store
      for (const input of FastCheck.sample(Builders.arbitraryCustomerInput, 200)) {
        const customer = yield* s.upsert(input)
        expect(customer.external_id).toBe(input.external_id)
      }
    }).pipe(Effect.provide(LagoStore.layer())))
})
