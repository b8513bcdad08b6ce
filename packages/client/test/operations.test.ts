import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Builders, LagoFake } from "@lago-effect/testing"
import { BigDecimal, DateTime, Effect } from "effect"
import { apiKey, liveLayer, requests } from "./helpers.js"

const seed = {
  customers: [Builders.customerInput({ external_id: "acme", name: "Acme", currency: "EUR" })],
  usage: [{ external_customer_id: "acme", external_subscription_id: "sub_1", usage: Builders.customerUsage() }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme" })]
}

const lastRequest = Effect.map(requests, (all) => all[all.length - 1])

describe("LagoClient operations against the fake Lago", () => {
  it.layer(liveLayer({ seed }))((it) => {
    it.effect("create sends POST /customers with the body wrapped as {customer}", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const customer = yield* lago.customers.create({
          external_id: "globex",
          name: "Globex",
          email: null,
          phone: undefined,
          billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_1", sync: true }
        })
        const request = yield* lastRequest
        expect(request.method).toBe("POST")
        expect(request.path).toBe("/api/v1/customers")
        expect(request.query).toEqual([])
        expect(request.body).toStrictEqual({
          customer: {
            external_id: "globex",
            name: "Globex",
            email: null,
            billing_configuration: { payment_provider: "stripe", provider_customer_id: "cus_1", sync: true }
          }
        })
        expect(request.headers["content-type"]).toBe("application/json")
        expect(request.headers["accept"]).toBe("application/json")
        expect(request.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-/)
        expect(request.headers["authorization"]).toBeUndefined() // the log leaves it out
        expect(customer.external_id).toBe("globex")
        expect(customer.billing_configuration.provider_customer_id).toBe("cus_1")
        expect(DateTime.isDateTime(customer.created_at)).toBe(true)
      }))

    it.effect("create is an upsert: a second call updates only the keys sent", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const before = yield* lago.customers.find("acme")
        const after = yield* lago.customers.create({ external_id: "acme", email: "billing@acme.test" })
        expect(after.lago_id).toBe(before.lago_id)
        expect(after.name).toBe("Acme")
        expect(after.email).toBe("billing@acme.test")
      }))

    it.effect("find sends GET /customers/{id} and decodes the customer", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const customer = yield* lago.customers.find("acme")
        const request = yield* lastRequest
        expect([request.method, request.path, request.body]).toEqual(["GET", "/api/v1/customers/acme", undefined])
        expect(request.headers["content-type"]).toBeUndefined()
        expect(customer.name).toBe("Acme")
        expect(customer.currency).toBe("EUR")
      }))

    it.effect("findAll sends page, per_page and every filter in Lago's bracket form", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const page = yield* lago.customers.findAll({
          page: 1,
          per_page: 2,
          search_term: "ac",
          account_type: ["customer"],
          billing_entity_codes: ["default"],
          countries: ["US", "FR"],
          states: ["CA"],
          zipcodes: ["91364"],
          currencies: ["EUR"],
          has_tax_identification_number: false,
          customer_type: "company",
          has_customer_type: true,
          metadata: { plan: "gold", region: "" }
        })
        const request = yield* lastRequest
        expect(request.path).toBe("/api/v1/customers")
        expect(request.query).toEqual([
          ["page", "1"],
          ["per_page", "2"],
          ["search_term", "ac"],
          ["account_type[]", "customer"],
          ["billing_entity_codes[]", "default"],
          ["countries[]", "US"],
          ["countries[]", "FR"],
          ["states[]", "CA"],
          ["zipcodes[]", "91364"],
          ["currencies[]", "EUR"],
          ["has_tax_identification_number", "false"],
          ["customer_type", "company"],
          ["has_customer_type", "true"],
          ["metadata[plan]", "gold"],
          ["metadata[region]", ""]
        ])
        expect(request.url).toContain("countries%5B%5D=US&countries%5B%5D=FR")
        expect(page.customers).toEqual([])
        expect(page.meta).toEqual({ current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 })
      }))

    it.effect("findAll without a query sends no query string", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const page = yield* lago.customers.findAll()
        const request = yield* lastRequest
        expect(request.url).toBe("http://lago.test/api/v1/customers")
        expect(page.meta.total_count).toBeGreaterThan(0)
      }))

    it.effect("findCurrentUsage sends the subscription and options as the query", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const usage = yield* lago.customers.findCurrentUsage("acme", {
          external_subscription_id: "sub_1",
          apply_taxes: false,
          billable_metric_code: "api_calls"
        })
        const request = yield* lastRequest
        expect(request.path).toBe("/api/v1/customers/acme/current_usage")
        expect(request.query).toEqual([
          ["external_subscription_id", "sub_1"],
          ["apply_taxes", "false"],
          ["billable_metric_code", "api_calls"]
        ])
        expect(usage.taxes_amount_cents).toBe(0)
        expect(BigDecimal.format(usage.charges_usage[0].units)).toBe("4")
      }))

    it.effect("getPortalUrl sends GET /customers/{id}/portal_url and returns a new URL each time", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const first = yield* lago.customers.getPortalUrl("acme")
        const second = yield* lago.customers.getPortalUrl("acme")
        const request = yield* lastRequest
        expect([request.method, request.path]).toEqual(["GET", "/api/v1/customers/acme/portal_url"])
        expect(first).toMatch(/^https:\/\/app\.getlago\.com\/customer-portal\//)
        expect(second).not.toBe(first)
      }))

    it.effect("deleteAppliedCoupon terminates the coupon, idempotently", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        const couponId = seed.appliedCoupons[0].lago_id
        const coupon = yield* lago.customers.deleteAppliedCoupon("acme", couponId)
        const request = yield* lastRequest
        expect([request.method, request.path]).toEqual(["DELETE", `/api/v1/customers/acme/applied_coupons/${couponId}`])
        expect(coupon.status).toBe("terminated")
        const again = yield* lago.customers.deleteAppliedCoupon("acme", couponId)
        expect(again.terminated_at).toEqual(coupon.terminated_at)
      }))

    it.effect("destroy sends DELETE /customers/{id} and returns the deleted customer; a second is 404", () =>
      Effect.gen(function*() {
        const lago = yield* LagoClient.LagoClient
        yield* lago.customers.create({ external_id: "to_delete", name: "Gone" })
        const deleted = yield* lago.customers.destroy("to_delete")
        const request = yield* lastRequest
        expect([request.method, request.path]).toEqual(["DELETE", "/api/v1/customers/to_delete"])
        expect(deleted.name).toBe("Gone")
        const again = yield* Effect.flip(lago.customers.destroy("to_delete"))
        assert(again._tag === "LagoNotFoundError")
        expect(again.code).toBe("customer_not_found")
      }))

    it.effect("sends the API key as a Bearer token", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        // The fake was built with the same key: a wrong one would be a 401.
        const lago = yield* LagoClient.LagoClient
        yield* lago.customers.find("acme")
        const outcome = yield* fake.handle({
          method: "GET",
          url: "/api/v1/customers/acme",
          headers: { authorization: `Bearer not-${apiKey}`, accept: "application/json" },
          body: ""
        })
        assert(outcome._tag === "Respond")
        expect(outcome.response.status).toBe(401)
      }))
  })

  describe("the rest of the customers tag", () => {
    const more = {
      ...seed,
      customers: [
        Builders.customerInput({
          external_id: "acme",
          billing_configuration: { payment_provider: "gocardless", payment_provider_code: "gc" }
        })
      ],
      pastUsage: [{
        external_customer_id: "acme",
        external_subscription_id: "sub_1",
        periods: [Builders.pastUsagePeriod()]
      }]
    }
    it.layer(liveLayer({ seed: more }))((it) => {
      it.effect.each(
        [
          [
            "findAllAppliedCoupons",
            (lago: LagoClient.Service) =>
              lago.customers.findAllAppliedCoupons("acme", { status: "active", coupon_code: ["a", "b"], per_page: 5 }),
            "GET",
            "/api/v1/customers/acme/applied_coupons",
            [["per_page", "5"], ["status", "active"], ["coupon_code[]", "a"], ["coupon_code[]", "b"]]
          ],
          [
            "findProjectedUsage",
            (lago: LagoClient.Service) =>
              lago.customers.findProjectedUsage("acme", { external_subscription_id: "sub_1", apply_taxes: false }),
            "GET",
            "/api/v1/customers/acme/projected_usage",
            [["external_subscription_id", "sub_1"], ["apply_taxes", "false"]]
          ],
          [
            "findAllPastUsage",
            (lago: LagoClient.Service) =>
              lago.customers.findAllPastUsage("acme", {
                external_subscription_id: "sub_1",
                billable_metric_code: "api_calls",
                periods_count: 3,
                page: 1
              }),
            "GET",
            "/api/v1/customers/acme/past_usage",
            [["page", "1"], ["external_subscription_id", "sub_1"], ["billable_metric_code", "api_calls"], [
              "periods_count",
              "3"
            ]]
          ],
          [
            "generateCheckoutUrl",
            (lago: LagoClient.Service) => lago.customers.generateCheckoutUrl("acme"),
            "POST",
            "/api/v1/customers/acme/checkout_url",
            []
          ]
        ] as const
      )("%s sends %s", ([_, call, method, path, query]) =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          yield* call(lago)
          const request = yield* lastRequest
          expect([request.method, request.path, request.query, request.body]).toEqual([method, path, query, undefined])
        }))

      it.effect("refuses a periods_count or page below 1 before sending", () =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          const before = (yield* requests).length
          const error = yield* Effect.flip(
            lago.customers.findAllPastUsage("acme", { external_subscription_id: "s", periods_count: 0 })
          )
          expect(error._tag === "LagoInvalidInputError" && [error.operation, error.field]).toEqual([
            "findAllCustomerPastUsage",
            "periods_count"
          ])
          expect((yield* requests).length).toBe(before)
        }))
    })
  })
})
