/**
 * One suite of the customers operations, run against every way to get a `LagoClient` backed by
 * the store: the test layer (no HTTP), the live client over the fake in memory, and the live
 * client over the fake on a loopback socket. Each test gets a fresh store.
 */
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import type { LagoError } from "@lago-effect/core"
import { Builders, LagoStore } from "@lago-effect/testing"
import { DateTime, Effect, Either, Stream } from "effect"
import type { Layer } from "effect"

/** What a backend must provide. */
export type Backend = Layer.Layer<LagoClient.LagoClient | LagoStore.LagoStore, LagoError.LagoInvalidInputError>

const customers = Effect.map(LagoClient.LagoClient, (lago) => lago.customers)
const store = LagoStore.LagoStore

/** Fails the test unless the effect fails with this tag (and code, when given). */
const failsWith = <A>(
  effect: Effect.Effect<A, LagoError.LagoError>,
  tag: LagoError.LagoError["_tag"],
  code?: string
) =>
  Effect.map(Effect.either(effect), (result) => {
    expect(Either.isLeft(result) && result.left._tag).toBe(tag)
    if (code !== undefined) expect(Either.isLeft(result) && "code" in result.left && result.left.code).toBe(code)
    return Either.isLeft(result) ? result.left : undefined
  })

const january = (day: number) => DateTime.unsafeMake(`2024-0${day}-01T00:00:00Z`)

/** Registers the suite for a backend. */
export const operationsSuite = (name: string, makeBackend: () => Backend) =>
  describe(`customers operations: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, LagoClient.LagoClient | LagoStore.LagoStore>) =>
      effect.pipe(Effect.provide(makeBackend()))

    it.live("create, find, update, list, destroy", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        const created = yield* api.create({ external_id: "acme", name: "Acme", email: "a@acme.test" })
        expect((yield* api.find("acme")).lago_id).toBe(created.lago_id)
        const updated = yield* api.create({ external_id: "acme", email: null, city: "Paris" })
        expect([updated.lago_id, updated.name, updated.email, updated.city]).toEqual([
          created.lago_id,
          "Acme",
          null,
          "Paris"
        ])
        yield* api.create({ external_id: "globex" })
        const page = yield* api.findAll({ per_page: 1 })
        expect(page.customers.map((c) => c.external_id)).toEqual(["globex"])
        expect(page.meta).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 2 })
        expect(yield* Effect.map(Stream.runCollect(api.stream()), (c) => Array.from(c, (x) => x.external_id)))
          .toEqual(["globex", "acme"])
        expect((yield* api.destroy("acme")).external_id).toBe("acme")
        yield* failsWith(api.find("acme"), "LagoNotFoundError", "customer_not_found")
        yield* failsWith(api.destroy("acme"), "LagoNotFoundError", "customer_not_found")
        const empty = yield* api.findAll({ search_term: "nobody" })
        expect(empty.meta).toEqual({
          current_page: 0,
          next_page: null,
          prev_page: null,
          total_pages: 0,
          total_count: 0
        })
      })))

    it.live("validation and filter errors come back with Lago's codes", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        const error = yield* failsWith(api.create({ external_id: "x", currency: "eur" }), "LagoValidationError")
        expect(error !== undefined && "error_details" in error && error.error_details).toEqual({
          currency: ["value_is_invalid"]
        })
        yield* failsWith(api.create({ external_id: "x", tax_codes: ["nope"] }), "LagoNotFoundError", "tax_not_found")
        yield* failsWith(api.findAll({ countries: ["usa"] }), "LagoValidationError", "validation_errors")
        yield* failsWith(api.find(".."), "LagoInvalidInputError")
      })))

    it.live("current usage: as set, per subscription, 405 otherwise", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        yield* api.create({ external_id: "acme" })
        yield* (yield* store).setUsage("acme", "sub_1", Builders.customerUsage({ amount_cents: 500 }))
        const usage = yield* api.findCurrentUsage("acme", { external_subscription_id: "sub_1" })
        expect(usage.amount_cents).toBe(500)
        yield* failsWith(
          api.findCurrentUsage("acme", { external_subscription_id: "sub_2" }),
          "LagoMethodNotAllowedError",
          "no_active_subscription"
        )
        yield* failsWith(
          api.findCurrentUsage("nobody", { external_subscription_id: "sub_1" }),
          "LagoNotFoundError",
          "resource_not_found"
        )
        yield* failsWith(
          api.findCurrentUsage("acme", { external_subscription_id: "sub_1", charge_code: "nope" }),
          "LagoNotFoundError",
          "charge_not_found"
        )
      })))

    it.live("projected usage: as set, else the current usage as its own projection", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        const s = yield* store
        yield* api.create({ external_id: "acme" })
        yield* s.setUsage("acme", "sub_1", Builders.customerUsage())
        const flat = yield* api.findProjectedUsage("acme", { external_subscription_id: "sub_1" })
        expect([flat.amount_cents, flat.projected_amount_cents]).toEqual([5, 5])
        expect(flat.charges_usage[0].projected_units.toString()).toBe(flat.charges_usage[0].units.toString())
        yield* s.setProjectedUsage("acme", "sub_1", Builders.projectedUsage())
        const projected = yield* api.findProjectedUsage("acme", { external_subscription_id: "sub_1" })
        expect(projected.projected_amount_cents).toBe(10)
        const untaxed = yield* api.findProjectedUsage("acme", { external_subscription_id: "sub_1", apply_taxes: false })
        expect([untaxed.taxes_amount_cents, untaxed.total_amount_cents]).toEqual([0, 5])
        yield* failsWith(
          api.findProjectedUsage("acme", { external_subscription_id: "other" }),
          "LagoMethodNotAllowedError",
          "no_active_subscription"
        )
      })))

    it.live("past usage: periods newest first, paginated, filtered; none for an unknown customer", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        const s = yield* store
        yield* api.create({ external_id: "acme" })
        const periods = [1, 3, 2].map((month) =>
          Builders.pastUsagePeriod({ from_datetime: january(month), lago_invoice_id: Builders.uuid(month, 8) })
        )
        yield* s.setPastUsage("acme", "sub_1", periods)
        const page = yield* api.findAllPastUsage("acme", { external_subscription_id: "sub_1", per_page: 2 })
        expect(page.usage_periods.map((p) => p.lago_invoice_id)).toEqual([Builders.uuid(3, 8), Builders.uuid(2, 8)])
        expect(page.meta).toMatchObject({ current_page: 1, next_page: 2, total_pages: 2, total_count: 3 })
        const all = yield* Stream.runCollect(
          api.streamPastUsage("acme", { external_subscription_id: "sub_1", per_page: 1 })
        )
        expect(Array.from(all, (p) => p.lago_invoice_id)).toEqual([3, 2, 1].map((m) => Builders.uuid(m, 8)))
        const counted = yield* api.findAllPastUsage("acme", { external_subscription_id: "sub_1", periods_count: 1 })
        expect(counted.usage_periods).toHaveLength(1)
        const filtered = yield* api.findAllPastUsage("acme", {
          external_subscription_id: "sub_1",
          billable_metric_code: "api_calls"
        })
        expect(filtered.usage_periods[0].charges_usage.map((c) => c.billable_metric.code)).toEqual(["api_calls"])
        yield* failsWith(
          api.findAllPastUsage("acme", { external_subscription_id: "sub_1", billable_metric_code: "nope" }),
          "LagoNotFoundError",
          "billable_metric_not_found"
        )
        yield* failsWith(
          api.findAllPastUsage("acme", { external_subscription_id: " " }),
          "LagoValidationError",
          "validation_errors"
        )
        const none = yield* api.findAllPastUsage("nobody", { external_subscription_id: "sub_1" })
        expect(none.meta.total_count).toBe(0)
      })))

    it.live("portal and checkout URLs: a new one per call", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        yield* api.create({ external_id: "acme" })
        const portals = new Set([yield* api.getPortalUrl("acme"), yield* api.getPortalUrl("acme")])
        expect(portals.size).toBe(2)
        yield* failsWith(api.getPortalUrl("nobody"), "LagoNotFoundError", "customer_not_found")
        const none = yield* failsWith(api.generateCheckoutUrl("acme"), "LagoValidationError", "validation_errors")
        expect(none !== undefined && "error_details" in none && none.error_details).toEqual({
          base: ["no_linked_payment_provider"]
        })
        yield* api.create({
          external_id: "acme",
          billing_configuration: { payment_provider: "stripe", payment_provider_code: "stripe-eu" }
        })
        const first = yield* api.generateCheckoutUrl("acme")
        const second = yield* api.generateCheckoutUrl("acme")
        expect([first.external_customer_id, first.payment_provider, first.payment_provider_code]).toEqual([
          "acme",
          "stripe",
          "stripe-eu"
        ])
        expect(first.checkout_url).not.toBe(second.checkout_url)
        yield* failsWith(api.generateCheckoutUrl("nobody"), "LagoNotFoundError", "customer_not_found")
      })))

    it.live("applied coupons: listed newest first with their credits, filtered, terminated idempotently", () =>
      run(Effect.gen(function*() {
        const api = yield* customers
        const s = yield* store
        yield* api.create({ external_id: "acme" })
        yield* api.create({ external_id: "globex" })
        const older = Builders.appliedCoupon({
          lago_id: Builders.uuid(1, 4),
          external_customer_id: "acme",
          coupon_code: "welcome",
          created_at: january(1),
          credits: [Builders.credit()]
        })
        const newer = Builders.appliedCoupon({
          lago_id: Builders.uuid(2, 4),
          external_customer_id: "acme",
          created_at: january(2)
        })
        const theirs = Builders.appliedCoupon({ lago_id: Builders.uuid(3, 4), external_customer_id: "globex" })
        for (const coupon of [older, newer, theirs]) yield* s.putAppliedCoupon(coupon)
        const page = yield* api.findAllAppliedCoupons("acme")
        expect(page.applied_coupons.map((c) => c.lago_id)).toEqual([newer.lago_id, older.lago_id])
        expect(page.applied_coupons[1].credits?.map((c) => c.amount_cents)).toEqual([500])
        expect(page.applied_coupons[0].credits).toEqual([])
        const welcome = yield* api.findAllAppliedCoupons("acme", { coupon_code: ["welcome"] })
        expect(welcome.applied_coupons.map((c) => c.lago_id)).toEqual([older.lago_id])
        const terminated = yield* api.deleteAppliedCoupon("acme", newer.lago_id)
        expect([terminated.status, terminated.credits]).toEqual(["terminated", undefined])
        expect(yield* api.deleteAppliedCoupon("acme", newer.lago_id)).toEqual(terminated)
        const active = yield* api.findAllAppliedCoupons("acme", { status: "active" })
        expect(active.applied_coupons.map((c) => c.lago_id)).toEqual([older.lago_id])
        const streamed = yield* Stream.runCollect(api.streamAppliedCoupons("acme", { per_page: 1 }))
        expect(Array.from(streamed, (c) => c.lago_id)).toEqual([newer.lago_id, older.lago_id])
        yield* failsWith(
          api.deleteAppliedCoupon("acme", theirs.lago_id),
          "LagoNotFoundError",
          "applied_coupon_not_found"
        )
        yield* failsWith(api.findAllAppliedCoupons("nobody"), "LagoNotFoundError", "customer_not_found")
      })))
  })
