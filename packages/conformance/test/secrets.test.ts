/**
 * Secrets: with a recognisable API key, drive every error path with every log level on and a
 * tracer recording: the key appears in no error message, String(error), JSON of an error,
 * Cause, log line or span attribute.
 */
import { HttpClient, HttpClientError } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { type LagoError } from "@lago-effect/core"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Redacted, Schedule, Tracer } from "effect"
import { httpClients, json, serve } from "../src/HostileServer.js"

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
  }).pipe(Layer.provideMerge(LagoFake.layerHttpClient({ apiKey: KEY, seed })))

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
  const lago = yield* LagoClient.LagoClient
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
      const leaks = texts.filter((t) => t.includes(KEY) || t.includes(KEY.slice(5, 25)))
      expect(leaks).toEqual([])
    }).pipe(
      Effect.provide(Logger.replace(Logger.defaultLogger, recordingLogger)),
      Effect.provide(Layer.setTracer(recordingTracer)),
      Logger.withMinimumLogLevel(LogLevel.All)
    ), 120_000)
})

/** Everything the recorders kept that holds `secret`. */
const leaksOf = (secret: string) => texts.filter((t) => t.includes(secret))

/** Records a failed exit the way a user's code would see and log it. */
const record = (exit: Exit.Exit<unknown, LagoError.LagoError>) =>
  Effect.gen(function*() {
    if (Exit.isSuccess(exit)) return
    keep("Cause.pretty", Cause.pretty(exit.cause))
    for (const error of Cause.failures(exit.cause)) {
      keep("message", error.message)
      keep("JSON", safeStringify(error))
    }
    yield* Effect.logError("call failed", exit.cause)
  })

const recorded = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.provide(Logger.replace(Logger.defaultLogger, recordingLogger)),
    Effect.provide(Layer.setTracer(recordingTracer)),
    Logger.withMinimumLogLevel(LogLevel.All)
  )

const ECHO_KEY = "lago_live_ECHOED_KEY_4d5e6f7a8b"

/** A server that puts the request's headers everywhere it can: bodies, details, headers. */
const echoingServer = serve((request, response) => {
  const authorization = String(request.headers.authorization)
  const path = request.url
  if (path.includes("text")) {
    response.writeHead(500, { "content-type": "text/plain", "x-request-id": authorization.slice(7) })
    return response.end(`upstream said: ${authorization}`)
  }
  if (path.includes("decode")) {
    return json(response, 200, { customer: { lago_id: authorization, echoed: request.headers } })
  }
  if (path.includes("escaped")) {
    response.writeHead(422, { "content-type": "application/json" })
    return response.end(
      `{"status":422,"error":"bad","error_details":{"h":"${authorization.replace(/_/g, "\\u005f")}"}}`
    )
  }
  json(response, 422, {
    status: 422,
    error: `Unprocessable: ${authorization}`,
    code: authorization,
    error_details: { headers: request.headers, nested: [{ again: authorization }] },
    provider: { echo: authorization }
  }, { "x-request-id": authorization })
})

describe("secrets with hostile transports and servers", () => {
  for (const [clientName, http] of httpClients) {
    it.live(`${clientName}: a server that echoes the request's headers puts the key into no typed error`, () =>
      Effect.gen(function*() {
        const server = yield* echoingServer
        const context = yield* Layer.build(http)
        const lago = yield* LagoClient.make({
          apiKey: Redacted.make(ECHO_KEY),
          baseUrl: server.origin,
          retry: { times: 1, backoff: Schedule.spaced("1 millis") }
        }).pipe(Effect.provide(context))
        const before = texts.length
        for (const id of ["details", "text", "decode", "escaped"]) {
          const exit = yield* Effect.exit(lago.customers.find(id).pipe(Effect.withSpan("user.call")))
          expect(Exit.isFailure(exit)).toBe(true)
          yield* record(exit)
        }
        expect(server.requests.length).toBe(5) // the 500 was retried once
        expect(server.requests.every((r) => r.headers.authorization === `Bearer ${ECHO_KEY}`)).toBe(true)
        expect(texts.length - before).toBeGreaterThan(20)
        expect(texts.slice(before).some((t) => t.includes("<redacted>"))).toBe(true)
        expect(leaksOf(ECHO_KEY)).toEqual([])
      }).pipe(Effect.scoped, recorded))

    it.live(`${clientName}: a key with a control character is refused before any request, and shows nowhere`, () =>
      Effect.gen(function*() {
        const server = yield* serve((_, response) => json(response, 200, {}))
        const context = yield* Layer.build(http)
        for (const bad of ["\r", "\n", "\u0000", "\u0007", "\u007f", " "]) {
          const key = `lago_live_CTRL${bad}KEY_9f8e7d`
          const exit = yield* Effect.exit(
            LagoClient.make({ apiKey: Redacted.make(key), baseUrl: server.origin }).pipe(Effect.provide(context))
          )
          expect(Exit.isFailure(exit)).toBe(true)
          yield* record(exit)
          expect(leaksOf(key)).toEqual([])
          expect(leaksOf("CTRL")).toEqual([])
        }
        expect(server.requests).toHaveLength(0)
      }).pipe(Effect.scoped, recorded))
  }

  it.live("credentials in the base URL are refused, and the password shows nowhere", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["http://admin:pa55word_XYZ@127.0.0.1:9", "https://pa55word_XYZ:@lago.example.com"]) {
        const exit = yield* Effect.exit(
          LagoClient.make({ apiKey: Redacted.make(KEY), baseUrl }).pipe(Effect.provide(LagoFake.layerHttpClient()))
        )
        expect(Exit.isFailure(exit)).toBe(true)
        yield* record(exit)
      }
      expect(leaksOf("pa55word_XYZ")).toEqual([])
    }).pipe(recorded))

  it.live("a transport that copies the request's Authorization into its error message is scrubbed", () =>
    Effect.gen(function*() {
      // What fetch did with a key it could not send: `Headers.append: "Bearer <key>" is an invalid header value`.
      const throwing = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) =>
          Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause: new TypeError(`Headers.append: "${request.headers.authorization}" is an invalid header value.`)
            })
          )
        )
      )
      const lago = yield* LagoClient.make({
        apiKey: Redacted.make(ECHO_KEY),
        baseUrl: "http://lago.test",
        retry: { times: 1, backoff: Schedule.spaced("1 millis") }
      }).pipe(Effect.provide(throwing))
      const exit = yield* Effect.exit(lago.customers.find("acme").pipe(Effect.withSpan("user.call")))
      const error = yield* Effect.flip(exit)
      expect(error._tag === "LagoTransportError" && error.description).toContain("Bearer <redacted>")
      yield* record(exit)
      expect(leaksOf(ECHO_KEY)).toEqual([])
    }).pipe(recorded))
})
