import { HttpClient, HttpTraceContext } from "@effect/platform"
import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient, RetryPolicy } from "@lago-effect/client"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Context, Effect, Fiber, Layer, Option, Redacted, TestClock, Tracer } from "effect"
import type { RecordedSpan } from "./helpers.js"
import { apiKey, liveLayer, makeRecordingTracer } from "./helpers.js"

const seed = {
  customers: [Builders.customerInput({ external_id: "acme" })],
  usage: [{ external_customer_id: "acme", external_subscription_id: "s", usage: Builders.customerUsage() }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme" })]
}

describe("observability", () => {
  it.effect("a span per call named Lago.<operationId>, with request id, attempts and status", () => {
    const tracer = makeRecordingTracer()
    return Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      yield* lago.customers.create({ external_id: "globex" })
      yield* lago.customers.findAll({ per_page: 1 })
      yield* lago.customers.find("acme")
      yield* lago.customers.findCurrentUsage("acme", { external_subscription_id: "s" })
      yield* lago.customers.getPortalUrl("acme")
      yield* lago.customers.deleteAppliedCoupon("acme", seed.appliedCoupons[0].lago_id)
      yield* lago.customers.destroy("acme")
      const names = tracer.spans.map((s) => s.name).filter((name) => name.startsWith("Lago."))
      expect(names).toEqual([
        "Lago.createCustomer",
        "Lago.findAllCustomers",
        "Lago.findCustomer",
        "Lago.findCustomerCurrentUsage",
        "Lago.getCustomerPortalUrl",
        "Lago.deleteAppliedCoupon",
        "Lago.destroyCustomer"
      ])
      const find = tracer.spans.find((s) => s.name === "Lago.findCustomer")
      expect(find?.attributes.get("lago.operation")).toBe("findCustomer")
      expect(find?.attributes.get("lago.request_id")).toMatch(/^[0-9a-f-]{36}$/)
      expect(find?.attributes.get("lago.attempts")).toBe(1)
      expect(find?.attributes.get("http.response.status_code")).toBe(200)
    }).pipe(Effect.provide(Layer.merge(liveLayer({ seed }), tracer.layer)))
  })

  it.effect("the span's parent, annotations, links, kind and start are the caller's, as Effect.makeSpan's", () => {
    const tracer = makeRecordingTracer()
    return Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      yield* TestClock.adjust("1 second")
      const linked = yield* Effect.makeSpan("linked")
      const hidden = Context.make(Tracer.DisablePropagation, true)
      const both = (timing: boolean) =>
        Effect.zipRight(Effect.makeSpan("reference", { kind: "client" }), lago.customers.find("acme")).pipe(
          Effect.annotateSpans("tenant", "t1"),
          Effect.linkSpans(linked, { why: "test" }),
          // A span that disables propagation is no one's parent: the call's is the one above it.
          Effect.withSpan("hidden", { context: hidden }),
          Effect.withSpan("outer"),
          Effect.withTracerTiming(timing)
        )
      yield* both(true)
      yield* both(false)
      const named = (name: string) => tracer.spans.filter((s) => s.name === name)
      const parentName = (span: RecordedSpan) =>
        Option.map(span.parent, (parent) => parent._tag === "Span" ? parent.name : "external")
      const [lagoTimed, lagoUntimed] = named("Lago.findCustomer")
      const [referenceTimed, referenceUntimed] = named("reference")
      for (const [call, reference] of [[lagoTimed, referenceTimed], [lagoUntimed, referenceUntimed]] as const) {
        expect(parentName(call)).toEqual(Option.some("outer"))
        expect(parentName(call)).toEqual(parentName(reference))
        expect(call.kind).toBe("client")
        expect(call.links).toEqual(reference.links)
        expect(call.links.map((link) => link.span)).toEqual([linked])
        expect(call.attributes.get("tenant")).toBe("t1")
        expect(call.attributes.get("tenant")).toBe(reference.attributes.get("tenant"))
        expect(call.startTime).toBe(reference.startTime)
      }
      expect(lagoTimed.startTime).toBe(BigInt(1_000_000_000))
      expect(lagoUntimed.startTime).toBe(BigInt(0))
      // Tracing off: no span reaches the tracer, and the call still runs.
      const before = tracer.spans.length
      const customer = yield* lago.customers.find("acme").pipe(Effect.withSpan("off"), Effect.withTracerEnabled(false))
      expect(customer.external_id).toBe("acme")
      expect(tracer.spans.length).toBe(before)
    }).pipe(Effect.provide(Layer.merge(liveLayer({ seed }), tracer.layer)))
  })

  it.effect("the span counts the attempts of a retried call and ends with its failure", () => {
    const tracer = makeRecordingTracer()
    return Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({ fault: Fault.unavailable(), route: "findCustomer" })
      const lago = yield* LagoClient.LagoClient
      const fiber = yield* Effect.fork(Effect.flip(lago.customers.find("acme")))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      const span = tracer.spans.find((s) => s.name === "Lago.findCustomer")
      expect(span?.attributes.get("lago.attempts")).toBe(3)
      expect(span?.attributes.get("http.response.status_code")).toBe(503)
      expect(span?.exit?._tag).toBe("Failure")
    }).pipe(Effect.provide(Layer.merge(liveLayer({ seed }), tracer.layer)))
  })

  it.effect("what the user's own HttpClient records is under the call's span", () => {
    const tracer = makeRecordingTracer()
    const logging = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (http) => HttpClient.tapRequest(http, () => Effect.logInfo("sending")))
    ).pipe(Layer.provideMerge(LagoFake.layerHttpClient({ apiKey, seed })))
    return Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      yield* lago.customers.find("acme")
      const [span] = tracer.spans
      expect(span.name).toBe("Lago.findCustomer")
      expect(span.events.map((event) => event.name)).toEqual(["sending"])
    }).pipe(
      Effect.provide(Layer.merge(
        LagoClient.layer({ apiKey: Redacted.make(apiKey), baseUrl: "http://lago.test" }).pipe(
          Layer.provideMerge(logging)
        ),
        tracer.layer
      ))
    )
  })

  it.effect("one span per call (the platform's http.client span is off), with no header values", () => {
    const tracer = makeRecordingTracer()
    return Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      yield* lago.customers.find("acme")
      yield* Effect.flip(lago.customers.find("nobody").pipe(LagoClient.withRetry(RetryPolicy.none)))
      expect(tracer.spans.map((s) => s.name)).toEqual(["Lago.findCustomer", "Lago.findCustomer"])
      const attributes = tracer.spans.flatMap((s) => [...s.attributes.entries()])
      expect(attributes.some(([key]) => key.startsWith("http.request.header."))).toBe(false)
      for (const [key, value] of attributes) {
        expect(`${key}=${String(value)}`).not.toContain(apiKey)
      }
    }).pipe(Effect.provide(Layer.merge(liveLayer({ seed }), tracer.layer)))
  })

  it.effect("the trace headers are the platform HttpClient's for the call's span: sampled or not, with a parent or not", () =>
    Effect.gen(function*() {
      const native = yield* Effect.tracer
      for (const sampled of [true, false]) {
        for (const parented of [true, false]) {
          // Effect's own spans, told whether they are sampled (effect's are always; others' may not be).
          const spans: Array<Tracer.Span> = []
          const tracer = Tracer.make({
            span(...args) {
              const span = native.span(...args)
              Object.defineProperty(span, "sampled", { value: sampled })
              spans.push(span)
              return span
            },
            context: native.context
          })
          yield* Effect.gen(function*() {
            const fake = yield* LagoFake.LagoFake
            const lago = yield* LagoClient.LagoClient
            const call = lago.customers.find("acme")
            yield* parented ? Effect.withSpan(call, "parent") : call
            const [request] = yield* fake.requests
            const span = spans.find((span) => span.name === "Lago.findCustomer")
            assert(span !== undefined)
            expect(span.parent._tag).toBe(parented ? "Some" : "None")
            const expected = HttpTraceContext.toHeaders(span)
            expect([request.headers["traceparent"], request.headers["b3"]]).toEqual([expected.traceparent, expected.b3])
          }).pipe(Effect.provide(Layer.merge(liveLayer({ seed }), Layer.setTracer(tracer))))
        }
      }
    }))

  it.effect("the call's trace context goes to Lago (traceparent, b3), unless propagation or tracing is off", () => {
    const tracer = makeRecordingTracer()
    return Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      const lago = yield* LagoClient.LagoClient
      yield* lago.customers.find("acme")
      yield* lago.customers.find("acme").pipe(Effect.locally(HttpClient.currentTracerPropagation, false))
      const [traced, untraced] = yield* fake.requests
      const span = tracer.spans[0]
      expect(span.name).toBe("Lago.findCustomer")
      expect(traced.headers["traceparent"]).toMatch(/^00-trace-span\d+-01$/)
      expect(traced.headers["b3"]).toMatch(/^trace-span\d+-1$/)
      expect(untraced.headers["traceparent"]).toBeUndefined()
      expect(untraced.headers["b3"]).toBeUndefined()
      // Tracing off: no trace to join, no trace headers.
      yield* lago.customers.find("acme").pipe(Effect.withSpan("outer"), Effect.withTracerEnabled(false))
      const off = (yield* fake.requests)[2]
      expect(off.headers["traceparent"]).toBeUndefined()
      expect(off.headers["b3"]).toBeUndefined()
    }).pipe(Effect.provide(Layer.merge(liveLayer({ seed }), tracer.layer)))
  })
})
