/**
 * Secrets: with a recognisable API key, drive every error path with every log level on and a
 * tracer recording: the key appears in no error message, String(error), JSON of an error,
 * Cause, log line or span attribute.
 */
import { describe, expect, it } from "@effect/vitest"
import { LagoClient, type LagoError } from "@lago-effect/client"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Redacted, Schedule, Tracer } from "effect"

const KEY = "lago_live_SECRET_KEY_7f3a9c2e1b"

const texts: Array<string> = []
const keep = (where: string, value: unknown) => {
  const text = typeof value === "string" ? value : safeStringify(value)
  texts.push(`${where}: ${text}`)
}
const safeStringify = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Every log line, at every level, formatted as the default loggers would print it. */
const recordingLogger = Logger.make((options) => {
  keep("log", Logger.logfmtLogger.log(options))
  keep("log(json)", Logger.jsonLogger.log(options))
  keep("log(structured)", Logger.structuredLogger.log(options))
})

/** Every span: name, attributes, events and how it ended. */
const recordingTracer = Tracer.make({
  span(name, parent, context, links, startTime, kind) {
    const attributes = new Map<string, unknown>()
    return {
      _tag: "Span",
      name,
      spanId: `${Math.random()}`,
      traceId: "trace",
      parent,
      context,
      status: { _tag: "Started", startTime },
      attributes,
      links,
      sampled: true,
      kind,
      end(_, exit) {
        keep(`span ${name}`, Object.fromEntries(attributes))
        keep(`span ${name} exit`, Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "ok")
      },
      attribute(key, value) {
        attributes.set(key, value)
        keep(`span ${name} attribute ${key}`, String(value))
      },
      event(eventName, _, eventAttributes) {
        keep(`span ${name} event ${eventName}`, eventAttributes)
      },
      addLinks() {}
    }
  },
  context: (f) => f()
})

const seed = {
  customers: [Builders.customerInput({ external_id: "acme" })],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme" })]
}

const client = (key: string) =>
  LagoClient.layer({
    apiKey: Redacted.make(key),
    baseUrl: "http://lago.test",
    // Fast, so that every path runs in seconds: one retry, 1 ms apart, 100 ms attempts.
    retry: { times: 1, backoff: Schedule.spaced("1 millis") },
    timeout: "100 millis"
  }).pipe(Layer.provideMerge(LagoFake.layerClient({ apiKey: KEY, seed })))

const faults: ReadonlyArray<Fault.Fault> = [
  ...[400, 401, 403, 404, 405, 408, 409, 422, 429, 500, 502, 503, 504].map((status) =>
    Fault.status(status, { headers: { "retry-after": "0" } })
  ),
  Fault.rateLimited(3_600),
  Fault.drop("ECONNRESET"),
  Fault.drop("ECONNREFUSED"),
  Fault.cutBody(0.3),
  Fault.malformedJson,
  Fault.status(200, { body: "{\"customer\":{\"lago_id\":1}}" }),
  Fault.latency("300 millis")
]

/** Every call the client makes, with arguments that also reach the invalid-input paths. */
const calls = (lago: LagoClient.Service): ReadonlyArray<Effect.Effect<unknown, LagoError.LagoError>> => [
  lago.customers.create({ external_id: "acme", name: "x" }),
  lago.customers.create({ external_id: " " }),
  lago.customers.findAll({ per_page: 2 }),
  lago.customers.findAll({ per_page: 0 }),
  lago.customers.find("acme"),
  lago.customers.find(".."),
  lago.customers.destroy("nobody"),
  lago.customers.findCurrentUsage("acme", { external_subscription_id: "none" }),
  lago.customers.getPortalUrl("nobody"),
  lago.customers.deleteAppliedCoupon("acme", "nope"),
  lago.customers.find("acme").pipe(LagoClient.withTotalTimeout("150 millis"))
]

const exercise = Effect.gen(function*() {
  const lago = yield* LagoClient
  const fake = yield* LagoFake.LagoFake
  for (const fault of [undefined, ...faults]) {
    yield* fake.clearFaults
    if (fault !== undefined) yield* fake.inject({ fault })
    for (const call of calls(lago)) {
      const exit = yield* Effect.exit(call.pipe(Effect.withSpan("user.call")))
      if (Exit.isFailure(exit)) {
        keep("Cause.pretty", Cause.pretty(exit.cause))
        for (const error of Cause.failures(exit.cause)) {
          keep("message", error.message)
          keep("String", String(error))
          keep("JSON", safeStringify(error))
          keep("toJSON", safeStringify(error.toJSON()))
          keep("stack", error.stack ?? "")
        }
        // What a user's own error logging would print.
        yield* Effect.logError("call failed", exit.cause)
      }
    }
  }
})

describe("secrets", () => {
  it.live("the API key shows in no error, Cause, log line or span, at any log level", () =>
    Effect.gen(function*() {
      // Wrong and right keys both: a 401 must not echo the key that was refused.
      yield* exercise.pipe(Effect.provide(client(KEY)))
      yield* exercise.pipe(Effect.provide(client(`${KEY}_WRONG`)))
      expect(texts.length).toBeGreaterThan(1_000)
      // The recorders saw the calls (so an empty record cannot pass): logs, retries, spans.
      expect(texts.some((t) => t.startsWith("log") && t.includes("retrying"))).toBe(true)
      expect(texts.some((t) => t.startsWith("span Lago.findCustomer attribute lago.request_id"))).toBe(true)
      expect(texts.some((t) => t.includes("http.request.header.authorization"))).toBe(true)
      const leaks = texts.filter((t) => t.includes(KEY) || t.includes(KEY.slice(5, 25)))
      expect(leaks).toEqual([])
    }).pipe(
      Effect.provide(Logger.replace(Logger.defaultLogger, recordingLogger)),
      Effect.provide(Layer.setTracer(recordingTracer)),
      Logger.withMinimumLogLevel(LogLevel.All)
    ), 120_000)
})
