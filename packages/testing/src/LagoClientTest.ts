/**
 * `LagoClientTest.layer(seed)`: a `LagoClient` whose customers live in memory, with Lago's
 * semantics and the same error tags as the live client. No HTTP: swap it for the live layer
 * in your tests.
 *
 * @example
 * ```ts
 * import { LagoClient } from "@lago-effect/client"
 * import { LagoClientTest } from "@lago-effect/testing"
 * import { it } from "@effect/vitest"
 * import { Effect } from "effect"
 *
 * it.effect("finds the customer", () =>
 *   Effect.gen(function*() {
 *     const lago = yield* LagoClient
 *     const customer = yield* lago.customers.find("customer_1")
 *   }).pipe(Effect.provide(LagoClientTest.layer({ customers: 1 }))))
 * ```
 *
 * @since 0.1.0
 */
import { Lago, LagoClient } from "@lago-effect/client"
import { LagoError } from "@lago-effect/core"
import { Clock, Effect, Layer } from "effect"
import * as LagoStore from "./LagoStore.js"

const baseUrl = "https://lago.test/api/v1"

/**
 * Turns a store failure into the error the live client would give for Lago's response.
 *
 * @since 0.1.0
 */
export const toLagoError = (
  failure: LagoStore.LagoStoreFailure,
  method: string,
  path: ReadonlyArray<string>
): Effect.Effect<never, LagoError.LagoResponseError> =>
  Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
    Effect.fail(LagoError.fromResponse({
      status: failure.status,
      headers: {},
      body: JSON.stringify(failure.body),
      method,
      url: `${baseUrl}/${path.map(Lago.encodePathSegment).join("/")}`,
      nowMillis
    })))

/**
 * A `LagoClient` over the `LagoStore` in the environment.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<LagoClient.Service, never, LagoStore.LagoStore> = Effect.gen(function*() {
  const store = yield* LagoStore.LagoStore
  const run = <A>(
    method: string,
    path: ReadonlyArray<string>,
    effect: Effect.Effect<A, LagoStore.LagoStoreFailure>
  ): Effect.Effect<A, LagoError.LagoError> =>
    Effect.catchTag(effect, "LagoStoreFailure", (failure) => toLagoError(failure, method, path))
  const customers = Lago.makeCustomers({
    create: (_, input) => run("POST", ["customers"], store.upsert(input)).pipe(Effect.withSpan("Lago.createCustomer")),
    findAll: (_, query) => run("GET", ["customers"], store.list(query)).pipe(Effect.withSpan("Lago.findAllCustomers")),
    find: (id) => run("GET", ["customers", id], store.find(id)).pipe(Effect.withSpan("Lago.findCustomer")),
    destroy: (id) => run("DELETE", ["customers", id], store.destroy(id)).pipe(Effect.withSpan("Lago.destroyCustomer")),
    findCurrentUsage: (id, _, query) =>
      run("GET", ["customers", id, "current_usage"], store.currentUsage(id, query)).pipe(
        Effect.withSpan("Lago.findCustomerCurrentUsage")
      ),
    getPortalUrl: (id) =>
      run("GET", ["customers", id, "portal_url"], store.portalUrl(id)).pipe(
        Effect.withSpan("Lago.getCustomerPortalUrl")
      ),
    deleteAppliedCoupon: (id, couponId) =>
      run("DELETE", ["customers", id, "applied_coupons", couponId], store.deleteAppliedCoupon(id, couponId)).pipe(
        Effect.withSpan("Lago.deleteAppliedCoupon")
      )
  })
  return { customers }
})

/**
 * A `LagoClient` and its `LagoStore` (to read and change it from tests), seeded.
 *
 * @since 0.1.0
 */
export const layer = (seed?: LagoStore.Seed): Layer.Layer<LagoClient | LagoStore.LagoStore> =>
  Layer.effect(LagoClient, make).pipe(Layer.provideMerge(LagoStore.layer(seed)))
