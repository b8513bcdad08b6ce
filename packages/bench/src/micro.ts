/**
 * S5, no network: the client over canned responses (each with its Content-Length, as Lago
 * sends them) against the floor of parsing the same text and the platform's `HttpClient` alone
 * over the same responses, and decoding alone.
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

/** Cycles through `items`: decoding the same page again and again would flatter any cache. */
const cycle = <A>(items: ReadonlyArray<A>) => {
  let i = 0
  return () => items[i++ % items.length]
}

/** An `HttpClient` whose every response is the next of `bodies`, with its Content-Length. */
const cannedClient = (bodies: ReadonlyArray<string>) => {
  const next = cycle(bodies)
  return HttpClient.make((request) =>
    Effect.sync(() => {
      const body = next()
      return HttpClientResponse.fromWeb(
        request,
        new Response(body, {
          headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
        })
      )
    })
  )
}

/** This client over canned responses. */
const clientOver = (bodies: ReadonlyArray<string>) =>
  ManagedRuntime.make(
    LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: "https://lago.bench/api/v1" }).pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, cannedClient(bodies)))
    )
  )

export const run = async (): Promise<Record<string, number>> => {
  // 50 distinct customers and pages (5,000 customers, 15,000 distinct instants).
  const customers = Array.from({ length: 50 }, (_, i) => `{"customer":${customerJson(i + 1)}}`)
  const pages = Array.from({ length: 50 }, (_, i) => pageJson(i + 1, 100, 20_000))
  const parsed: ReadonlyArray<unknown> = pages.map((page) => JSON.parse(page))
  const findRuntime = clientOver(customers)
  const pageRuntime = clientOver(pages)
  const api = Effect.map(LagoClient.LagoClient, (client) => client.customers)
  const find = Effect.flatMap(api, (customers) => customers.find("customer_1"))
  const platformClient = cannedClient(customers)
  const platformFind = Effect.flatMap(
    platformClient.get("https://lago.bench/api/v1/customers/customer_1"),
    (response) => response.text
  )
  const findAll = Effect.flatMap(api, (customers) => customers.findAll({ per_page: 100 }))
  const schemaDecode = Schema.decodeUnknownSync(Core.CustomersPage.CustomersPage)
  // A baseline build (BENCH_BASELINE) may predate the Decoder module.
  const decoders: Partial<typeof Core> = Core
  const decoder = decoders.Decoder?.make(Core.CustomersPage.CustomersPage)
  const [customer, page, value] = [cycle(customers), cycle(pages), cycle(parsed)]
  const result = {
    floorFindMicros: await timeEach(1_500, () => new Response(customer()).json()),
    findMicros: await timeEach(1_500, () => findRuntime.runPromise(find)),
    // The platform alone over the same responses (its span on, as by default): what the client builds on.
    platformFindMicros: await timeEach(1_500, () => Effect.runPromise(platformFind)),
    effectRunMicros: await timeEach(1_500, () => Effect.runPromise(Effect.void)),
    floorPageMicros: await timeEach(1_500, () => new Response(page()).json()),
    pageMicros: await timeEach(1_500, () => pageRuntime.runPromise(findAll)),
    jsonParseCustomersPerSecond: 100e6 / (await timeEach(1_500, () => JSON.parse(page()))),
    schemaDecodeCustomersPerSecond: 100e6 / (await timeEach(1_500, () => schemaDecode(value()))),
    compiledDecodeCustomersPerSecond: decoder === undefined
      ? Number.NaN
      : 100e6 / (await timeEach(1_500, () => Effect.runSync(decoder.decode(value()))))
  }
  await findRuntime.dispose()
  await pageRuntime.dispose()
  return result
}
