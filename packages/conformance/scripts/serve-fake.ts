// Serves LagoFake on a port for manual checks: tsx scripts/serve-fake.ts 4100
import { NodeRuntime } from "@effect/platform-node"
import { Builders, LagoFake } from "@lago-effect/testing"
import { LagoFakeServer, layer as serverLayer } from "@lago-effect/testing/node"
import { Console, Effect, Layer } from "effect"

const seed = {
  customers: [Builders.customerInput({ external_id: "acme", name: "Acme" })],
  usage: [{ external_customer_id: "acme", external_subscription_id: "sub", usage: Builders.customerUsage() }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme" })]
}
Effect.gen(function*() {
  const server = yield* LagoFakeServer
  yield* Console.log(server.url)
  yield* Effect.never
}).pipe(
  Effect.provide(
    serverLayer({ port: Number(process.argv[2] ?? 4100) }).pipe(Layer.provideMerge(LagoFake.layer({ seed })))
  ),
  NodeRuntime.runMain
)
