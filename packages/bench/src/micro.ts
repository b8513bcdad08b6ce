/**
 * S5, no network: the client over canned responses (each with its Content-Length, as Lago
 * sends them) against the floor of parsing the same text, and decoding alone.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { LagoClient } from "@lago-effect/client"
import * as Core from "@lago-effect/core"
import { Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import { KEY } from "./clients/Client.js"
import { customerJson, pageJson } from "./data.js"

/** Runs `f` repeatedly for `millis` after a warm-up; the median time of one run, in microseconds. */
const timeEach = async (millis: number, f: () => Promise<unknown> | unknown) => {
  for (let i = 0; i < 2_000; i++) await f()
  const samples: Array<number> = []
  const until = performance.now() + millis
  while (performance.now() < until) {
    const start = performance.now()
    for (let i = 0; i < 20; i++) await f()
    samples.push(((performance.now() - start) * 1000) / 20)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]
}

const canned = (body: string) =>
  HttpClient.make((request) =>
    Effect.sync(() =>
      HttpClientResponse.fromWeb(
        request,
        new Response(body, {
          headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
        })
      )
    )
  )

const clientOver = (body: string) =>
  ManagedRuntime.make(
    LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: "https://lago.bench/api/v1" }).pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, canned(body)))
    )
  )

export const run = async (): Promise<Record<string, number>> => {
  const customer = `{"customer":${customerJson(1)}}`
  const page = pageJson(1, 100, 20_000)
  const findRuntime = clientOver(customer)
  const pageRuntime = clientOver(page)
  const customers = Effect.map(LagoClient.LagoClient, (client) => client.customers)
  const find = Effect.flatMap(customers, (api) => api.find("customer_1"))
  const findAll = Effect.flatMap(customers, (api) => api.findAll({ per_page: 100 }))
  const parsed: unknown = JSON.parse(page)
  const schemaDecode = Schema.decodeUnknownSync(Core.CustomersPage.CustomersPage)
  // A baseline build (BENCH_BASELINE) may predate the Decoder module.
  const decoders: Partial<typeof Core> = Core
  const decoder = decoders.Decoder?.make(Core.CustomersPage.CustomersPage)
  const result = {
    floorFindMicros: await timeEach(1_500, () => new Response(customer).json()),
    findMicros: await timeEach(1_500, () => findRuntime.runPromise(find)),
    effectRunMicros: await timeEach(1_500, () => Effect.runPromise(Effect.void)),
    floorPageMicros: await timeEach(1_500, () => new Response(page).json()),
    pageMicros: await timeEach(1_500, () => pageRuntime.runPromise(findAll)),
    jsonParseCustomersPerSecond: 100e6 / (await timeEach(1_500, () => JSON.parse(page))),
    schemaDecodeCustomersPerSecond: 100e6 / (await timeEach(1_500, () => schemaDecode(parsed))),
    compiledDecodeCustomersPerSecond: decoder === undefined
      ? Number.NaN
      : 100e6 / (await timeEach(1_500, () => Effect.runSync(decoder.decode(parsed))))
  }
  await findRuntime.dispose()
  await pageRuntime.dispose()
  return result
}
