/**
 * S5, no network: the client over canned responses (each with its Content-Length, as Lago
 * sends them), through the platform's web response and through `LagoHttpClient.layer` (a canned
 * `fetch`), against the floor (the same canned `fetch`, its response parsed with `json()`) and
 * the platform's `HttpClient` alone over the same responses, and decoding alone. Each measure
 * can run alone (`run(only)`); the paired measure times the floor and the client in one process,
 * in alternation, so that what the machine is doing weighs on both alike.
 */
import { FetchHttpClient, HttpClient, HttpClientResponse } from "@effect/platform"
import * as Client from "@lago-effect/client"
import * as Core from "@lago-effect/core"
import { Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import * as V8 from "node:v8"
import { KEY } from "./clients/Client.js"
import { customerJson, pageJson } from "./data.js"

/** The median of `samples` (sorted in place). */
const median = (samples: Array<number>) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]

/** Bytes in use in V8's young generation (where a run's short-lived objects are made). */
const youngBytes = () =>
  V8.getHeapSpaceStatistics().reduce(
    (sum, space) =>
      space.space_name === "new_space" || space.space_name === "new_large_object_space"
        ? sum + space.space_used_size
        : sum,
    0
  )

/**
 * The bytes `f` allocates per run: the young generation's growth over 5 runs, the median of
 * 9 windows in which no scavenge ran (it only grows between two; a window whose end is below
 * its start saw one, and is measured again). A count of bytes, not of time: it does not move
 * with the machine.
 */
const allocatedPerRun = (f: () => unknown) => {
  for (let i = 0; i < 200; i++) f()
  const windows: Array<number> = []
  for (let attempt = 0; attempt < 100 && windows.length < 9; attempt++) {
    const before = youngBytes()
    for (let i = 0; i < 5; i++) f()
    const after = youngBytes()
    if (after > before) windows.push((after - before) / 5)
  }
  return windows.length === 0 ? Number.NaN : median(windows)
}

/** Runs `f` 20 times in a row: the time of one run, in microseconds. */
const timeBlock = async (f: () => Promise<unknown> | unknown) => {
  const start = performance.now()
  for (let i = 0; i < 20; i++) await f()
  return ((performance.now() - start) * 1000) / 20
}

/** Runs `f` repeatedly for `millis` after a warm-up; the median time of one run, in microseconds. */
const timeEach = async (millis: number, f: () => Promise<unknown> | unknown) => {
  for (let i = 0; i < 2_000; i++) await f()
  const samples: Array<number> = []
  const until = performance.now() + millis
  while (performance.now() < until) samples.push(await timeBlock(f))
  return median(samples)
}

/**
 * How much longer one run of `f` takes than one of `floor`, in microseconds: after a warm-up of
 * both, blocks of 20 runs of each in alternation (which goes first alternates too) for `millis`;
 * the median of the differences between the two blocks of each round. A busy machine slows
 * both blocks of a round alike, so the difference holds where either time alone varies twofold.
 */
const timeAbove = async (millis: number, floor: () => Promise<unknown>, f: () => Promise<unknown>) => {
  for (let i = 0; i < 2_000; i++) {
    await floor()
    await f()
  }
  const differences: Array<number> = []
  const until = performance.now() + millis
  for (let round = 0; performance.now() < until; round++) {
    if (round % 2 === 0) {
      const below = await timeBlock(floor)
      differences.push((await timeBlock(f)) - below)
    } else {
      const above = await timeBlock(f)
      differences.push(above - (await timeBlock(floor)))
    }
  }
  return median(differences)
}

/** Cycles through `items`: decoding the same page again and again would flatter any cache. */
const cycle = <A>(items: ReadonlyArray<A>) => {
  let i = 0
  return () => items[i++ % items.length]
}

const { LagoClient } = Client

/** A `fetch` whose every response is the next of `bodies`, with its Content-Length. */
const cannedFetch = (bodies: ReadonlyArray<string>): typeof globalThis.fetch => {
  const next = cycle(bodies)
  return () => {
    const body = next()
    return Promise.resolve(
      new Response(body, {
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
      })
    )
  }
}

/** An `HttpClient` whose every response is the next of `bodies` (the platform's web response). */
const cannedClient = (bodies: ReadonlyArray<string>) => {
  const respond = cannedFetch(bodies)
  return HttpClient.make((request) =>
    Effect.map(Effect.promise(() => respond("")), (response) => HttpClientResponse.fromWeb(request, response))
  )
}

const lagoLayer = LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: "https://lago.bench/api/v1" })

/** This client over canned responses. */
const clientOver = (bodies: ReadonlyArray<string>) =>
  ManagedRuntime.make(lagoLayer.pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, cannedClient(bodies)))))

// A baseline build (BENCH_BASELINE) may predate LagoHttpClient.
const clients: Partial<typeof Client> = Client

/**
 * This client over `LagoHttpClient.layer` answering from a canned `fetch` (in the program's
 * context, where the client looks for it); with `tracing` false, in a program that turns
 * tracing off.
 */
const lagoClientOver = (bodies: ReadonlyArray<string>, tracing = true) =>
  clients.LagoHttpClient === undefined ? undefined : ManagedRuntime.make(
    Layer.mergeAll(
      lagoLayer.pipe(Layer.provide(clients.LagoHttpClient.layer)),
      Layer.succeed(FetchHttpClient.Fetch, cannedFetch(bodies)),
      tracing ? Layer.empty : Layer.setTracerEnabled(false)
    )
  )

/** The text of a canned `fetch` that can be interrupted (given the fiber's signal). */
const plainText = (bodies: ReadonlyArray<string>) => {
  const respond = cannedFetch(bodies)
  return Effect.tryPromise((signal) =>
    respond("https://lago.bench/api/v1/customers/customer_1", { signal }).then((response) => response.text())
  )
}

/** A `fetch` that can be interrupted, its body parsed: the least an effect program does per call. */
const plainFetch = (bodies: ReadonlyArray<string>) => Effect.map(plainText(bodies), (text): unknown => JSON.parse(text))

/**
 * `find` written plainly with effect: a `fetch` that can be interrupted, decoded by the same
 * compiled decoder, under a time-out and in a client span; no retries, request id or checks.
 */
const plainFind = <A>(bodies: ReadonlyArray<string>, decoder: Core.Decoder.Decoder<A> | undefined) =>
  plainText(bodies).pipe(
    Effect.flatMap((text) => decoder === undefined ? Effect.succeed(JSON.parse(text)) : decoder.decodeText(text)),
    Effect.timeout("60 seconds"),
    Effect.withSpan("find", { kind: "client" })
  )

/** A runtime for `measure`, disposed after it. */
const using = async <R, E>(
  runtime: ManagedRuntime.ManagedRuntime<R, E> | undefined,
  measure: (runtime: ManagedRuntime.ManagedRuntime<R, E>) => Promise<number>
) => {
  if (runtime === undefined) return Number.NaN
  try {
    return await measure(runtime)
  } finally {
    await runtime.dispose()
  }
}

/**
 * Runs the measures named in `only` (all of them without it), each building what it needs. The
 * benchmark runs each in a process of its own: measured in one process, the rows after the
 * first would run call sites the earlier rows made polymorphic, which no application does.
 */
export const run = async (only?: ReadonlyArray<string>): Promise<Record<string, number>> => {
  // 50 distinct customers and pages (5,000 customers, 15,000 distinct instants).
  const customers = Array.from({ length: 50 }, (_, i) => `{"customer":${customerJson(i + 1)}}`)
  const pages = Array.from({ length: 50 }, (_, i) => pageJson(i + 1, 100, 20_000))
  const parsed: ReadonlyArray<unknown> = pages.map((page) => JSON.parse(page))
  const api = Effect.map(LagoClient.LagoClient, (client) => client.customers)
  const find = Effect.flatMap(api, (customers) => customers.find("customer_1"))
  const findAll = Effect.flatMap(api, (customers) => customers.findAll({ per_page: 100 }))
  // A baseline build (BENCH_BASELINE) may predate the Decoder module.
  const decoders: Partial<typeof Core> = Core
  const value = cycle(parsed)
  // The floor: raw `fetch` over the same canned responses the client gets, parsed with `json()`.
  const floorOver = (bodies: ReadonlyArray<string>) => {
    const respond = cannedFetch(bodies)
    return () => respond("https://lago.bench/api/v1/customers").then((response) => response.json())
  }
  /**
   * How much longer `program` (made once: each run answers the next canned body) takes in
   * `runtime` than the floor over the same bodies (a customer each, unless told), in one process.
   */
  const aboveFloor = <R, E>(
    runtime: ManagedRuntime.ManagedRuntime<R, E> | undefined,
    program: Effect.Effect<unknown, unknown, R>,
    bodies: ReadonlyArray<string> = customers
  ) => using(runtime, (made) => timeAbove(3_000, floorOver(bodies), () => made.runPromise(program)))
  const measures: Record<string, () => Promise<number>> = {
    floorFindMicros: () => timeEach(1_500, floorOver(customers)),
    findMicros: () => using(clientOver(customers), (runtime) => timeEach(1_500, () => runtime.runPromise(find))),
    lagoFindMicros: () =>
      using(lagoClientOver(customers), (runtime) => timeEach(1_500, () => runtime.runPromise(find))),
    // The platform alone over the same responses (its span on, as by default): what the client builds on.
    platformFindMicros: () => {
      const platformFind = Effect.flatMap(
        cannedClient(customers).get("https://lago.bench/api/v1/customers/customer_1"),
        (response) => response.text
      )
      return timeEach(1_500, () => Effect.runPromise(platformFind))
    },
    effectRunMicros: () => timeEach(1_500, () => Effect.runPromise(Effect.void)),
    // Both in one process: their difference, not their ratio to a floor measured in another.
    lagoFindAboveFloorMicros: () => aboveFloor(lagoClientOver(customers), find),
    // The same in a program that turns tracing off (`Layer.setTracerEnabled(false)`).
    lagoUntracedFindAboveFloorMicros: () => aboveFloor(lagoClientOver(customers, false), find),
    // The same work written plainly with effect, no client: what any effect program doing it pays.
    effectFetchAboveFloorMicros: () => aboveFloor(ManagedRuntime.make(Layer.empty), plainFetch(customers)),
    effectFindAboveFloorMicros: () =>
      aboveFloor(
        decoders.Decoder === undefined ? undefined : ManagedRuntime.make(Layer.empty),
        plainFind(customers, decoders.Decoder?.make(Core.Customer.CustomerResponse))
      ),
    floorPageMicros: () => timeEach(1_500, floorOver(pages)),
    pageMicros: () => using(clientOver(pages), (runtime) => timeEach(1_500, () => runtime.runPromise(findAll))),
    lagoPageMicros: () => using(lagoClientOver(pages), (runtime) => timeEach(1_500, () => runtime.runPromise(findAll))),
    // A page of 100 against the floor's page, in one process: with the find above, what decoding
    // costs inside the client (the floor parses the same JSON).
    lagoPageAboveFloorMicros: () => aboveFloor(lagoClientOver(pages), findAll, pages),
    jsonParseCustomersPerSecond: async () => {
      const page = cycle(pages)
      return 100e6 / (await timeEach(1_500, () => JSON.parse(page())))
    },
    schemaDecodeCustomersPerSecond: async () => {
      const schemaDecode = Schema.decodeUnknownSync(Core.CustomersPage.CustomersPage)
      return 100e6 / (await timeEach(1_500, () => schemaDecode(value())))
    },
    // What decoding allocates for a customer (garbage the collector then pays for), beside
    // what `JSON.parse` allocates for the same customer's text.
    jsonParseBytesPerCustomer: async () => {
      const page = cycle(pages)
      return allocatedPerRun(() => JSON.parse(page())) / 100
    },
    compiledDecodeBytesPerCustomer: async () => {
      const decoder = decoders.Decoder?.make(Core.CustomersPage.CustomersPage)
      return decoder === undefined
        ? Number.NaN
        : allocatedPerRun(() => Effect.runSync(decoder.decode(value()))) / 100
    },
    compiledDecodeCustomersPerSecond: async () => {
      const decoder = decoders.Decoder?.make(Core.CustomersPage.CustomersPage)
      return decoder === undefined
        ? Number.NaN
        : 100e6 / (await timeEach(1_500, () => Effect.runSync(decoder.decode(value()))))
    }
  }
  const result: Record<string, number> = {}
  for (const [key, measure] of Object.entries(measures)) {
    if (only === undefined || only.includes(key)) result[key] = await measure()
  }
  return result
}
