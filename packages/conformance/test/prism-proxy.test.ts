/**
 * `prism proxy --errors` in front of LagoFake on a loopback port: Prism checks every request
 * and every response of the fake against Lago's spec. The fake follows the real server where
 * the two disagree; those violations, and only those, are the known deviations.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import { LagoClient, RetryPolicy } from "@lago-effect/client"
import { type LagoError } from "@lago-effect/core"
import { Builders, LagoFake } from "@lago-effect/testing"
import * as FakeServer from "@lago-effect/testing/node"
import { DateTime, Effect, Layer, Redacted, Stream } from "effect"
import { deviationOf, knownDeviations } from "../src/KnownDeviations.js"
import * as Prism from "../src/Prism.js"
import * as Transport from "../src/Transport.js"

const vat = {
  lago_id: Builders.uuid(1, 9),
  name: "VAT",
  code: "vat",
  rate: 20,
  description: "French VAT",
  applied_to_organization: false,
  created_at: DateTime.unsafeMake("2024-01-01T00:00:00Z")
}

/** A customer whose every field has a value: what the spec describes. */
const complete = (externalId: string) =>
  Builders.customerInput({
    external_id: externalId,
    name: "Acme",
    firstname: "Ada",
    lastname: "Lovelace",
    email: "billing@acme.test",
    currency: "EUR",
    country: "FR",
    timezone: "Europe/Paris",
    net_payment_term: 30,
    customer_type: "company",
    billing_configuration: {
      payment_provider: "stripe",
      payment_provider_code: "stripe_eu",
      provider_customer_id: "cus_1",
      document_locale: "fr",
      invoice_grace_period: 3
    },
    shipping_address: { city: "Paris", country: "FR" },
    metadata: [{ key: "plan", value: "gold", display_in_invoice: true }],
    tax_codes: ["vat"]
  })

const seed = {
  customers: [complete("acme"), complete("globex"), complete("initech")],
  taxes: [vat],
  usage: [{ external_customer_id: "acme", external_subscription_id: "sub_1", usage: Builders.customerUsage() }],
  pastUsage: [{
    external_customer_id: "acme",
    external_subscription_id: "sub_1",
    periods: [Builders.pastUsagePeriod()]
  }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme", credits: [Builders.credit()] })]
}

const fakeServer = FakeServer.layer().pipe(Layer.provideMerge(LagoFake.layer({ apiKey: "proxy_key", seed })))

const prism = Prism.layer({
  mode: "proxy",
  upstream: Effect.map(FakeServer.LagoFakeServer, (server) => server.url)
}).pipe(Layer.provideMerge(fakeServer))

const clientWith = (apiKey: string) =>
  Effect.flatMap(
    Prism.Prism,
    (p) => LagoClient.make({ apiKey: Redacted.make(apiKey), baseUrl: `${p.url}/api/v1`, retry: RetryPolicy.none })
  )

const stack = Layer.unwrapEffect(
  Effect.map(clientWith("proxy_key"), (client) => Layer.succeed(LagoClient.LagoClient, client))
)
  .pipe(Layer.provideMerge(Transport.layer({ stripApiPrefix: true })), Layer.provideMerge(prism))

const observed = new Set<string>()

/** The violations of the exchanges since `from`, less the known deviations (which are noted). */
const unexpectedViolations = (from: number) =>
  Effect.map(
    Effect.flatMap(Transport.Exchanges, (log) => log),
    (log) =>
      log.slice(from).flatMap((exchange) =>
        exchange.violations.flatMap((violation) => {
          const deviation = deviationOf(violation, exchange)
          if (deviation !== undefined) {
            observed.add(deviation.id)
            return []
          }
          return [{ url: exchange.url, status: exchange.status, ...violation }]
        })
      )
  )

const mark = Effect.map(Effect.flatMap(Transport.Exchanges, (log) => log), (log) => log.length)

describe.skipIf(!Prism.specAvailable)(
  `prism proxy (${Prism.specAvailable ? Prism.specPath : Prism.skipReason})`,
  () => {
    layer(stack, { timeout: "90 seconds", excludeTestServices: true })((it) => {
      it.effect("every operation succeeds through Prism: the fake's answers are the spec's", () =>
        Effect.gen(function*() {
          const start = yield* mark
          const lago = yield* LagoClient.LagoClient
          const created = yield* lago.customers.create(complete("hooli"))
          expect(created.taxes.map((t) => t.code)).toEqual(["vat"])
          const updated = yield* lago.customers.create({ external_id: "hooli", legal_name: "Hooli Inc." })
          expect(updated.lago_id).toBe(created.lago_id)
          const page = yield* lago.customers.findAll({
            per_page: 2,
            countries: ["FR"],
            currencies: ["EUR"],
            customer_type: "company",
            metadata: { plan: "gold" }
          })
          expect(page.meta.total_count).toBe(4)
          expect(yield* Stream.runCount(lago.customers.stream({ per_page: 3 }))).toBe(4)
          expect((yield* lago.customers.find("acme")).name).toBe("Acme")
          const usage = yield* lago.customers.findCurrentUsage("acme", { external_subscription_id: "sub_1" })
          expect(usage.amount_cents).toBe(5)
          expect(yield* lago.customers.getPortalUrl("acme")).toContain("/customer-portal/")
          const coupons = yield* lago.customers.findAllAppliedCoupons("acme", { status: "active", per_page: 5 })
          expect(coupons.applied_coupons[0].credits?.length).toBe(1)
          const past = yield* lago.customers.findAllPastUsage("acme", { external_subscription_id: "sub_1" })
          expect(past.usage_periods).toHaveLength(1)
          const checkout = yield* lago.customers.generateCheckoutUrl("acme")
          expect(checkout.payment_provider).toBe("stripe")
          const coupon = yield* lago.customers.deleteAppliedCoupon("acme", seed.appliedCoupons[0].lago_id)
          expect(coupon.status).toBe("terminated")
          expect((yield* lago.customers.destroy("hooli")).external_id).toBe("hooli")
          expect(yield* unexpectedViolations(start)).toEqual([])
        }))

      it.effect("every error case passes Prism, the client maps it, and only known deviations show", () =>
        Effect.gen(function*() {
          const start = yield* mark
          const lago = yield* LagoClient.LagoClient
          const cases: ReadonlyArray<
            readonly [Effect.Effect<unknown, LagoError.LagoError>, string, string | undefined]
          > = [
            [lago.customers.find("nobody"), "LagoNotFoundError", "customer_not_found"],
            [lago.customers.destroy("nobody"), "LagoNotFoundError", "customer_not_found"],
            [lago.customers.getPortalUrl("nobody"), "LagoNotFoundError", "customer_not_found"],
            [
              lago.customers.findCurrentUsage("nobody", { external_subscription_id: "sub_1" }),
              "LagoNotFoundError",
              "resource_not_found"
            ],
            [
              lago.customers.findCurrentUsage("acme", { external_subscription_id: "none" }),
              "LagoMethodNotAllowedError",
              "no_active_subscription"
            ],
            [
              lago.customers.deleteAppliedCoupon("acme", "00000000-0000-4000-8000-000000000000"),
              "LagoNotFoundError",
              "applied_coupon_not_found"
            ],
            [
              // Six metadata pairs: the spec allows any number, Lago five.
              lago.customers.create({
                external_id: "bad",
                metadata: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: "v", display_in_invoice: false }))
              }),
              "LagoValidationError",
              "validation_errors"
            ],
            [lago.customers.create({ external_id: "bad", tax_codes: ["nope"] }), "LagoNotFoundError", "tax_not_found"],
            [lago.customers.findAllAppliedCoupons("nobody"), "LagoNotFoundError", "customer_not_found"],
            [
              lago.customers.findProjectedUsage("nobody", { external_subscription_id: "sub_1" }),
              "LagoNotFoundError",
              "resource_not_found"
            ],
            [
              lago.customers.findProjectedUsage("acme", { external_subscription_id: "none" }),
              "LagoMethodNotAllowedError",
              "no_active_subscription"
            ],
            [
              lago.customers.findAllPastUsage("acme", {
                external_subscription_id: "sub_1",
                billable_metric_code: "nope"
              }),
              "LagoNotFoundError",
              "billable_metric_not_found"
            ],
            [
              lago.customers.findAllPastUsage("acme", { external_subscription_id: " " }),
              "LagoValidationError",
              "validation_errors"
            ],
            [lago.customers.generateCheckoutUrl("nobody"), "LagoNotFoundError", "customer_not_found"]
          ]
          for (const [call, tag, code] of cases) {
            const error = yield* Effect.flip(call)
            expect([error._tag, "code" in error ? error.code : undefined]).toEqual([tag, code])
          }
          const wrongKey = yield* clientWith("not_the_key")
          const unauthorized = yield* Effect.flip(wrongKey.customers.findAll())
          expect(unauthorized._tag).toBe("LagoUnauthorizedError")
          expect(yield* unexpectedViolations(start)).toEqual([])
        }))

      it.effect("a customer without provider shows the billing-configuration nulls the server sends", () =>
        Effect.gen(function*() {
          const fake = yield* LagoFake.LagoFake
          yield* fake.store.upsert({ external_id: "bare" })
          const start = yield* mark
          const lago = yield* LagoClient.LagoClient
          // Prism turns the violation into a 500 (--errors); the client sees it as a server error.
          const error = yield* Effect.flip(lago.customers.find("bare"))
          expect(error._tag).toBe("LagoServerError")
          expect(yield* unexpectedViolations(start)).toEqual([])
          // Straight from the fake, the same answer decodes.
          const server = yield* FakeServer.LagoFakeServer
          const direct = LagoClient.make({ apiKey: Redacted.make("proxy_key"), baseUrl: server.url }).pipe(
            Effect.flatMap((client) => client.customers.find("bare")),
            Effect.provide(NodeHttpClient.layerUndici)
          )
          expect((yield* direct).billing_configuration.payment_provider).toBeNull()
        }))

      it.effect("projected usage: the spec's `groups` defect shows through Prism; the fake's answer decodes", () =>
        Effect.gen(function*() {
          const start = yield* mark
          const lago = yield* LagoClient.LagoClient
          const error = yield* Effect.flip(
            lago.customers.findProjectedUsage("acme", { external_subscription_id: "sub_1" })
          )
          expect(error._tag === "LagoServerError" && error.status).toBe(500)
          expect(yield* unexpectedViolations(start)).toEqual([])
          const server = yield* FakeServer.LagoFakeServer
          const direct = LagoClient.make({ apiKey: Redacted.make("proxy_key"), baseUrl: server.url }).pipe(
            Effect.flatMap((client) =>
              client.customers.findProjectedUsage("acme", { external_subscription_id: "sub_1" })
            ),
            Effect.provide(NodeHttpClient.layerUndici)
          )
          expect((yield* direct).projected_amount_cents).toBe(5)
        }))

      it.effect("a checkout URL for a customer without provider is Lago's 422", () =>
        Effect.gen(function*() {
          const fake = yield* LagoFake.LagoFake
          yield* fake.store.upsert({ external_id: "no_provider", currency: "EUR" })
          const start = yield* mark
          const lago = yield* LagoClient.LagoClient
          const error = yield* Effect.flip(lago.customers.generateCheckoutUrl("no_provider"))
          expect([error._tag, "error_details" in error ? error.error_details : undefined]).toEqual([
            "LagoValidationError",
            { base: ["no_linked_payment_provider"] }
          ])
          expect(yield* unexpectedViolations(start)).toEqual([])
        }))

      it.effect("every known deviation was observed: the list holds nothing stale", () =>
        Effect.sync(() => {
          expect([...observed].sort()).toEqual(knownDeviations.map((d) => d.id).sort())
        }))
    })
  }
)
