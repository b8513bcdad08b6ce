/**
 * A call's span, started from the fiber the call already reads.
 *
 * Why: `Effect.makeSpan` is three effect steps and a copy of the fiber's `FiberRef`s map on
 * every call, and a call already runs with its fiber in hand (`Effect.withFiberRuntime`).
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

/**
 * Starts a span as `Effect.makeSpan(name, options)` would in `fiber`, for options with no
 * parent, context, links or stack trace of their own: the parent is the fiber's span (less the
 * spans that disable propagation), the fiber's span annotations and links are the span's, and
 * its start time is the fiber's clock's when tracing records times. None when the fiber's
 * tracing is off (`Effect.makeSpan` would make a no-op span; a call then goes without one).
 */
export const startSpan = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  name: string,
  options: Tracer.SpanOptions
): Tracer.Span | undefined => {
  if (!fiber.getFiberRef(FiberRef.currentTracerEnabled)) return undefined
  const services = fiber.currentDefaultServices
  const timing = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
  const span = Context.get(services, Tracer.Tracer).span(
    name,
    propagating(Context.getOption(fiber.currentContext, Tracer.ParentSpan)),
    Context.empty(),
    Chunk.toReadonlyArray(fiber.getFiberRef(FiberRef.currentTracerSpanLinks)),
    timing ? Context.get(services, Clock.Clock).unsafeCurrentTimeNanos() : BigInt(0),
    options.kind ?? "internal",
    options
  )
  HashMap.forEach(fiber.getFiberRef(FiberRef.currentTracerSpanAnnotations), (value, key) => span.attribute(key, value))
  if (options.attributes !== undefined) {
    for (const key in options.attributes) span.attribute(key, options.attributes[key])
  }
  return span
}

/** The nearest of `parent` and its ancestors that does not disable propagation, as effect's. */
const propagating = (parent: Option.Option<Tracer.AnySpan>): Option.Option<Tracer.AnySpan> => {
  if (Option.isNone(parent) || !Context.get(parent.value.context, Tracer.DisablePropagation)) return parent
  return parent.value._tag === "Span" ? propagating(parent.value.parent) : Option.none()
}

/**
 * The trace context headers of `span` (`b3`, `traceparent`), as the platform's
 * `HttpTraceContext.toHeaders` writes them, in a plain object the call adds its own headers to:
 * the platform's are a `Headers`, whose prototype is set on every call (a slow operation in V8).
 */
export const traceHeaders = (span: Tracer.Span): Record<string, string> => ({
  b3: `${span.traceId}-${span.spanId}-${span.sampled ? "1" : "0"}${
    span.parent._tag === "Some" ? `-${span.parent.value.spanId}` : ""
  }`,
  traceparent: `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`
})
