/**
 * Hostile inputs: any string as an external id, an applied-coupon id or a query value either
 * reaches Lago exactly (one path segment, one query value), or the call fails with
 * LagoInvalidInputError before anything is sent.
 */
import { describe, expect, layer } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import type { LagoError } from "@lago-effect/core"
import { LagoFake } from "@lago-effect/testing"
import * as FakeServer from "@lago-effect/testing/node"
import { Effect, Exit, FastCheck as fc, Layer, Redacted } from "effect"

const inMemory = LagoClient.layer({ apiKey: Redacted.make("hostile_key"), baseUrl: "http://lago.test" }).pipe(
  Layer.provideMerge(LagoFake.layerHttpClient({ apiKey: "hostile_key" }))
)

const onSocket = FakeServer.layerLagoClient({ apiKey: "hostile_key", retry: { times: 0 } }).pipe(
  Layer.provideMerge(FakeServer.layer()),
  Layer.provideMerge(LagoFake.layer({ apiKey: "hostile_key" }))
)

/** Strings that break naive clients, and any string at all (lone surrogates included). */
const hostileString = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({
      unit: fc.constantFrom("/", "?", "#", "%", ".", " ", "+", "&", "=", ";", "\\", "%2E", "%2F", "..", "\u0000"),
      maxLength: 40
    }),
    fc.constantFrom(
      "",
      ".",
      "..",
      "...",
      "./",
      "../x",
      "acme.com",
      "a/b",
      "a?b#c",
      "100%",
      "%",
      "%zz",
      "a b",
      "+",
      "ü",
      "😀"
    ),
    fc.string({ unit: fc.constantFrom("a", "ü", "/", "."), minLength: maxLength, maxLength })
  )

const lastRequest = Effect.flatMap(LagoFake.LagoFake, (fake) => Effect.map(fake.requests, (all) => all.at(-1)))
const requestCount = Effect.flatMap(LagoFake.LagoFake, (fake) => Effect.map(fake.requests, (all) => all.length))

/** Runs a call; it must reach the fake with `expected` segments, or be refused before sending. */
const reachesExactly = <A>(
  call: Effect.Effect<A, LagoError.LagoError>,
  expected: ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    const before = yield* requestCount
    const exit = yield* Effect.exit(call)
    const after = yield* requestCount
    if (Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "LagoInvalidInputError") {
      expect(after).toBe(before)
      return "refused" as const
    }
    expect(after).toBe(before + 1)
    expect((yield* lastRequest)?.segments).toEqual(expected)
    return "sent" as const
  })

describe("hostile inputs", () => {
  layer(inMemory)((it) => {
    it.effect.prop(
      "any external id reaches Lago as exactly one path segment, or is refused before sending",
      [hostileString(3_000), hostileString(200)],
      ([id, couponId]) =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          const outcomes = [
            yield* reachesExactly(lago.customers.find(id), ["customers", id]),
            yield* reachesExactly(lago.customers.destroy(id), ["customers", id]),
            yield* reachesExactly(lago.customers.getPortalUrl(id), ["customers", id, "portal_url"]),
            yield* reachesExactly(
              lago.customers.findCurrentUsage(id, { external_subscription_id: "s" }),
              ["customers", id, "current_usage"]
            ),
            yield* reachesExactly(
              lago.customers.deleteAppliedCoupon(id, couponId),
              ["customers", id, "applied_coupons", couponId]
            )
          ]
          // Refused exactly when the id cannot be a path segment.
          const refusable = (s: string) => s.trim() === "" || s === "." || s === ".." || !wellFormed(s)
          expect(outcomes.slice(0, 4)).toEqual(Array(4).fill(refusable(id) ? "refused" : "sent"))
          expect(outcomes[4]).toBe(refusable(id) || refusable(couponId) ? "refused" : "sent")
        }),
      { fastCheck: { numRuns: 300 }, timeout: 120_000 }
    )

    it.effect.prop(
      "any query value reaches Lago exactly, or is refused before sending",
      [hostileString(500), hostileString(100), hostileString(100), hostileString(100)],
      ([searchTerm, metadataKey, metadataValue, subscription]) =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          const before = yield* requestCount
          const list = yield* Effect.exit(
            lago.customers.findAll({ search_term: searchTerm, metadata: { [metadataKey]: metadataValue } })
          )
          const sent = (yield* requestCount) > before
          const wellFormedInput = [searchTerm, metadataKey, metadataValue].every(wellFormed)
          expect(sent).toBe(wellFormedInput)
          if (sent) {
            expect((yield* lastRequest)?.query).toEqual([["search_term", searchTerm], [
              `metadata[${metadataKey}]`,
              metadataValue
            ]])
          } else {
            expect(Exit.isFailure(list) && list.cause._tag === "Fail" && list.cause.error._tag).toBe(
              "LagoInvalidInputError"
            )
          }
          const usageBefore = yield* requestCount
          yield* Effect.exit(lago.customers.findCurrentUsage("acme", { external_subscription_id: subscription }))
          if (wellFormed(subscription)) {
            expect((yield* lastRequest)?.query).toEqual([["external_subscription_id", subscription]])
          } else {
            expect(yield* requestCount).toBe(usageBefore)
          }
        }),
      { fastCheck: { numRuns: 300 }, timeout: 120_000 }
    )
  })

  layer(onSocket, { timeout: "30 seconds", excludeTestServices: true })((it) => {
    it.effect.prop(
      "over a real socket too",
      [hostileString(300)],
      ([id]) =>
        Effect.gen(function*() {
          const lago = yield* LagoClient.LagoClient
          const outcome = yield* reachesExactly(lago.customers.find(id), ["customers", id])
          expect(outcome).toBe(id.trim() === "" || id === "." || id === ".." || !wellFormed(id) ? "refused" : "sent")
        }),
      { fastCheck: { numRuns: 200 }, timeout: 120_000 }
    )
  })
})

/** Whether percent-encoding can carry the string (no lone surrogate). */
const wellFormed = (value: string) => {
  try {
    encodeURIComponent(value)
    return true
  } catch {
    return false
  }
}
