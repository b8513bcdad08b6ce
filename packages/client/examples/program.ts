/**
 * The three uses of the client, as a user writes them. `program` is plain Effect code that
 * needs a `LagoClient`: production provides the live layer, tests provide the test layer.
 *
 * Run it against a fake Lago on a loopback port: `pnpm demo` at the repository root runs the
 * streaming part at scale; `examples/program.test.ts` runs all of it against the test layer.
 */
import { LagoClient } from "@lago-effect/client"
import { Effect, Stream } from "effect"

/** 1. Compose calls with your own effects, handling the failures you care about by tag. */
export const onboard = (externalId: string) =>
  Effect.gen(function*() {
    const lago = yield* LagoClient.LagoClient
    const customer = yield* lago.customers.create({ external_id: externalId, name: "Acme", currency: "EUR" })
    const portalUrl = yield* lago.customers.getPortalUrl(customer.external_id)
    const usage = yield* lago.customers.findCurrentUsage(customer.external_id, { external_subscription_id: "sub_1" })
      .pipe(
        // No subscription yet is normal for a new customer.
        Effect.map((u) => u.total_amount_cents),
        Effect.catchTag("LagoMethodNotAllowedError", () => Effect.succeed(0))
      )
    return { lagoId: customer.lago_id, portalUrl, usage }
  })

/** 2. Stream every customer of the organization, page after page, in constant memory. */
export const countByCurrency = Effect.gen(function*() {
  const lago = yield* LagoClient.LagoClient
  return yield* lago.customers.stream({ per_page: 100, concurrency: 4 }).pipe(
    Stream.runFold(new Map<string, number>(), (counts, customer) => {
      const currency = customer.currency ?? "none"
      return counts.set(currency, (counts.get(currency) ?? 0) + 1)
    })
  )
})

/** Both, with per-call retry and time-out settings. */
export const program = Effect.gen(function*() {
  const onboarded = yield* onboard("acme").pipe(
    LagoClient.withRetry({ times: 5 }),
    LagoClient.withTimeout("10 seconds")
  )
  const currencies = yield* countByCurrency
  return { onboarded, currencies }
})

// 3. In production:
//
//   import { NodeHttpClient } from "@effect/platform-node"
//   program.pipe(
//     Effect.provide(LagoClient.layerConfig()), // LAGO_API_KEY, LAGO_API_URL, LAGO_REGION
//     Effect.provide(NodeHttpClient.layerUndici),
//     NodeRuntime.runMain
//   )
//
// In your tests, swap the layer (see program.test.ts):
//
//   program.pipe(Effect.provide(LagoClientTest.layer({ customers: 10 })))
