/**
 * `LagoClientTest.layer(seed)`: a `LagoClient` whose customers live in memory, with Lago's
 * semantics and the same error tags as the live client. No HTTP: each call goes through its
 * operation's checks, the store's handler answers the body Lago would send, and the live
 * client's own decoder reads it. Swap it for the live layer in your tests.
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
 *     const lago = yield* LagoClient.LagoClient
 *     const customer = yield* lago.customers.find("customer_1")
 *   }).pipe(Effect.provide(LagoClientTest.layer({ customers: 1 }))))
 * ```
 *
 * @since 0.1.0
 */
import { Customers, LagoClient, LagoOperation } from "@lago-effect/client"
import { LagoError } from "@lago-effect/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Handler } from "./internal/handlers.js"
import { makeHandlers } from "./internal/handlers.js"
import * as LagoStore from "./LagoStore.js"

/** The base URL errors of the test layer name. */
const baseUrl = "https://lago.test/api/v1"

/**
 * A `LagoClient` over the `LagoStore` in the environment.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make: Effect.Effect<LagoClient.Service, never, LagoStore.LagoStore> = Effect.gen(function*() {
  const store = yield* LagoStore.LagoStore
  const handlers = new Map<string, Handler>(Object.entries(makeHandlers(store)))
  const run: Customers.Runner = <Id extends string, Args extends ReadonlyArray<unknown>, A, I>(
    operation: LagoOperation.Operation<Id, Args, A, I>,
    request: LagoOperation.Request
  ): Effect.Effect<A, LagoError.LagoError> => {
    const context = {
      operation: operation.id,
      method: operation.method,
      url: `${baseUrl}${LagoOperation.pathAndQuery(operation, request)}`
    }
    const handler = handlers.get(operation.id)
    if (handler === undefined) return Effect.dieMessage(`LagoClientTest: no store behaviour for ${operation.id}`)
    return handler(request).pipe(
      Effect.catchTag(
        "LagoStoreFailure",
        (failure) =>
          Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
            Effect.fail(
              LagoError.fromErrorBody({ ...context, status: failure.status, headers: {}, nowMillis }, failure.body)
            ))
      ),
      Effect.flatMap((body) =>
        Effect.mapError(
          operation.response.decode(body),
          (error) => new LagoError.LagoDecodeError({ ...context, status: 200, issue: error.message })
        )
      ),
      Effect.withSpan(`Lago.${operation.id}`, { kind: "client", attributes: { "lago.operation": operation.id } })
    )
  }
  return { customers: Customers.make(run) }
})

/**
 * A `LagoClient` and its `LagoStore` (to read and change it from tests), seeded.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (seed?: LagoStore.Seed): Layer.Layer<LagoClient.LagoClient | LagoStore.LagoStore> =>
  Layer.effect(LagoClient.LagoClient, make).pipe(Layer.provideMerge(LagoStore.layer(seed)))
