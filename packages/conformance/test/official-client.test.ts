/**
 * A cross-check written by someone else: Lago's official `lago-javascript-client`, driven over
 * the fake on a loopback port, for every customers operation. Its calls succeed and its
 * responses parse, and the same JSON decodes with this project's schemas: the fake speaks the
 * wire the official client was built for.
 */
import { describe, expect, layer } from "@effect/vitest"
import {
  AppliedCoupon,
  CheckoutUrl,
  Customer,
  CustomersPage,
  CustomerUsage,
  PortalUrl,
  ProjectedUsage
} from "@lago-effect/core"
import { Builders, LagoFake } from "@lago-effect/testing"
import * as FakeServer from "@lago-effect/testing/node"
import { Effect, Layer, Schema } from "effect"
import { Client, getLagoError } from "lago-javascript-client"

const KEY = "official_client_key"
const coupon = Builders.appliedCoupon({ external_customer_id: "acme" })

const seed = {
  customers: [
    Builders.customerInput({
      external_id: "acme",
      name: "Acme",
      billing_configuration: { payment_provider: "stripe", payment_provider_code: "stripe-eu" }
    })
  ],
  usage: [{ external_customer_id: "acme", external_subscription_id: "sub_1", usage: Builders.customerUsage() }],
  pastUsage: [{
    external_customer_id: "acme",
    external_subscription_id: "sub_1",
    periods: [Builders.pastUsagePeriod()]
  }],
  appliedCoupons: [{ ...coupon, credits: [Builders.credit()] }]
}

const fakeOnSocket = FakeServer.layer().pipe(Layer.provideMerge(LagoFake.layer({ apiKey: KEY, seed })))

/** The official client pointed at the fake. */
const official = Effect.map(FakeServer.LagoFakeServer, (fake) => Client(KEY, { baseUrl: fake.url }))

/** Decodes what the official client got with this project's schema: both must read it. */
const decodes = <A, I>(schema: Schema.Schema<A, I>, data: unknown) => Schema.decodeUnknownSync(schema)(data)

describe("lago-javascript-client over the fake", () => {
  layer(fakeOnSocket, { excludeTestServices: true })((it) => {
    it.effect("every customers operation (eleven) succeeds and parses", () =>
      Effect.gen(function*() {
        const lago = yield* official
        const created = yield* Effect.promise(() =>
          lago.customers.createCustomer({
            customer: {
              external_id: "globex",
              name: "Globex",
              currency: "EUR",
              metadata: [{ key: "plan", value: "gold", display_in_invoice: true }]
            }
          })
        )
        expect(created.status).toBe(200)
        expect(created.data.customer.external_id).toBe("globex")
        expect(decodes(Customer.CustomerResponse, created.data).customer.metadata[0].key).toBe("plan")

        const list = yield* Effect.promise(() => lago.customers.findAllCustomers({ page: 1, per_page: 1 }))
        expect(list.data.customers.map((c) => c.external_id)).toEqual(["globex"])
        expect(list.data.meta).toMatchObject({ current_page: 1, next_page: 2, total_count: 2 })
        expect(decodes(CustomersPage.CustomersPage, list.data).meta.total_pages).toBe(2)

        const found = yield* Effect.promise(() => lago.customers.findCustomer("acme"))
        expect(found.data.customer.name).toBe("Acme")
        decodes(Customer.CustomerResponse, found.data)

        const usage = yield* Effect.promise(() =>
          lago.customers.findCustomerCurrentUsage("acme", { external_subscription_id: "sub_1" })
        )
        expect(usage.data.customer_usage.amount_cents).toBe(5)
        expect(decodes(CustomerUsage.CustomerUsageResponse, usage.data).customer_usage.charges_usage).toHaveLength(1)

        const portal = yield* Effect.promise(() => lago.customers.getCustomerPortalUrl("acme"))
        expect(portal.data.customer.portal_url).toContain("/customer-portal/")
        decodes(PortalUrl.PortalUrlResponse, portal.data)

        const coupons = yield* Effect.promise(() =>
          lago.customers.findAllCustomerAppliedCoupons("acme", { per_page: 5 })
        )
        expect(coupons.data.applied_coupons[0].credits).toHaveLength(1)
        expect(decodes(AppliedCoupon.AppliedCouponsPage, coupons.data).meta.total_count).toBe(1)

        const projected = yield* Effect.promise(() =>
          lago.customers.findCustomerProjectedUsage("acme", { external_subscription_id: "sub_1" })
        )
        expect(projected.data.customer_projected_usage.projected_amount_cents).toBe(5)
        decodes(ProjectedUsage.ProjectedUsageResponse, projected.data)

        const past = yield* Effect.promise(() =>
          lago.customers.findAllCustomerPastUsage("acme", { external_subscription_id: "sub_1" })
        )
        expect(past.data.usage_periods).toHaveLength(1)
        decodes(CustomerUsage.PastUsagePage, past.data)

        const checkout = yield* Effect.promise(() => lago.customers.generateCustomerCheckoutUrl("acme"))
        expect(checkout.data.customer.payment_provider).toBe("stripe")
        decodes(CheckoutUrl.CheckoutUrlResponse, checkout.data)

        const terminated = yield* Effect.promise(() => lago.customers.deleteAppliedCoupon("acme", coupon.lago_id))
        expect(terminated.data.applied_coupon.status).toBe("terminated")
        decodes(AppliedCoupon.AppliedCouponResponse, terminated.data)

        const destroyed = yield* Effect.promise(() => lago.customers.destroyCustomer("globex"))
        expect(destroyed.data.customer.external_id).toBe("globex")
      }))

    it.effect("its errors carry Lago's bodies", () =>
      Effect.gen(function*() {
        const lago = yield* official
        const body = yield* Effect.promise(() =>
          lago.customers.findCustomer("nobody").then(
            () => undefined,
            (error: unknown) => getLagoError<typeof lago.customers.findCustomer>(error)
          )
        )
        expect(body).toEqual({ status: 404, error: "Not Found", code: "customer_not_found" })
        const usage = yield* Effect.promise(() =>
          lago.customers.findCustomerCurrentUsage("acme", { external_subscription_id: "none" }).then(
            () => undefined,
            (error: unknown) => getLagoError<typeof lago.customers.findCustomerCurrentUsage>(error)
          )
        )
        expect(usage).toMatchObject({ status: 405, code: "no_active_subscription" })
      }))
  })
})
