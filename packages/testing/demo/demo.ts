/**
 * `pnpm demo`: starts the fake Lago on a loopback port, seeded with 5,000 customers and a
 * few injected faults, streams every customer with the live client over that socket, and
 * prints a summary.
 */
import { NodeRuntime } from "@effect/platform-node"
import { LagoClient } from "@lago-effect/client"
import { Fault, LagoFake } from "@lago-effect/testing"
import { LagoFakeServer, layer as serverLayer, layerLagoClient } from "@lago-effect/testing/node"
import { Console, Duration, Effect, Layer, Logger, LogLevel, Ref, Schedule, Stream } from "effect"

const CUSTOMERS = 5_000

/** "Status 503 x3, Drop x2, ..." */
const describeFaults = (faulted: ReadonlyArray<LagoFake.LoggedRequest>) => {
  const counts = new Map<string, number>()
  for (const request of faulted) {
    const label = request.status === undefined ? `${request.fault}` : `${request.fault} ${request.status}`
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  return Array.from(counts, ([label, count]) => `${label} x${count}`).join(", ")
}

const main = Effect.gen(function*() {
  const server = yield* LagoFakeServer
  const fake = yield* LagoFake.LagoFake
  // A rough day at the office: an outage, a rate limit, a dropped connection, a cut body,
  // and 10% of random transient failures on top.
  yield* fake.inject({ fault: Fault.unavailable(), route: "findAllCustomers", times: 2 })
  yield* fake.inject({ fault: Fault.rateLimited(1), route: "findAllCustomers", times: 1 })
  yield* fake.inject({ fault: Fault.drop(), route: "findAllCustomers", times: 1 })
  yield* fake.inject({ fault: Fault.cutBody(), route: "findAllCustomers", times: 1 })
  yield* fake.randomFaults({
    rate: 0.1,
    seed: 2026,
    faults: [Fault.unavailable(), Fault.status(502), Fault.drop(), Fault.cutBody()],
    route: "findAllCustomers"
  })
  yield* Console.log(`Fake Lago listening on ${server.url} with ${CUSTOMERS.toLocaleString("en-US")} customers`)

  const lago = yield* LagoClient.LagoClient
  const pages = yield* Ref.make(0)
  const start = Date.now()
  const customers = yield* lago.customers.pages({ per_page: 100, concurrency: 4, prefetch: 2 }).pipe(
    Stream.tap(() => Ref.update(pages, (n) => n + 1)),
    Stream.mapConcat((page) => page.customers),
    Stream.runFold(new Set<string>(), (seen, customer) => seen.add(customer.lago_id))
  )
  const elapsed = Duration.millis(Date.now() - start)
  const requests = yield* fake.requests
  const faulted = requests.filter((r) => r.fault !== undefined)
  yield* Console.log(
    [
      `customers streamed : ${customers.size.toLocaleString("en-US")} (distinct lago_id)`,
      `pages              : ${yield* Ref.get(pages)}`,
      `requests           : ${requests.length}`,
      `retries            : ${faulted.length} (${describeFaults(faulted)})`,
      `elapsed            : ${Duration.format(elapsed)}`
    ].join("\n")
  )
  if (customers.size !== CUSTOMERS) {
    return yield* Effect.dieMessage(`expected ${CUSTOMERS} customers, got ${customers.size}`)
  }
})

const fake = LagoFake.layer({ apiKey: "demo_key", seed: { customers: CUSTOMERS } })
const server = serverLayer().pipe(Layer.provideMerge(fake))
const client = layerLagoClient({
  apiKey: "demo_key",
  retry: { times: 6, backoff: Schedule.exponential("50 millis").pipe(Schedule.jittered) }
}).pipe(Layer.provideMerge(server))

main.pipe(
  Effect.provide(client),
  Logger.withMinimumLogLevel(LogLevel.Info),
  NodeRuntime.runMain
)
