/**
 * The shared operations suite against every backend of the store: it must pass the same way
 * on each (as Effect's own KeyValueStore suite runs against every store).
 */
import { LagoClient } from "@lago-effect/client"
import { LagoClientTest, LagoFake } from "@lago-effect/testing"
import * as FakeServer from "@lago-effect/testing/node"
import { Layer, Redacted } from "effect"
import { operationsSuite } from "./operationsSuite.js"

operationsSuite("the test layer (no HTTP)", () => LagoClientTest.layer())

operationsSuite(
  "the live client over the fake in memory",
  () =>
    LagoClient.layer({ apiKey: Redacted.make("suite_key"), baseUrl: "http://lago.test" }).pipe(
      Layer.provideMerge(LagoFake.layerHttpClient({ apiKey: "suite_key" }))
    )
)

operationsSuite(
  "the live client over the fake on a loopback socket",
  () =>
    FakeServer.layerLagoClient({ apiKey: "suite_key", retry: { times: 0 } }).pipe(
      Layer.provideMerge(FakeServer.layer()),
      Layer.provideMerge(LagoFake.layer({ apiKey: "suite_key" }))
    )
)
