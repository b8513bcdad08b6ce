import { vi } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import type { LagoStore } from "@lago-effect/testing"
import { LagoFake } from "@lago-effect/testing"
import type { Context, Exit, Fiber, Option } from "effect"
import { Effect, Layer, Logger, Redacted, Supervisor, Tracer } from "effect"

/** The key every test client uses; tests look for it where it must not be. */
export const apiKey = "lago_test_SECRET_KEY_1234567890"

/**
 * The live client over the fake Lago in memory: no socket, same wire.
 */
export const liveLayer = (
  options: { readonly seed?: LagoStore.Seed; readonly client?: Partial<LagoClient.Options> } = {}
) =>
  LagoClient.layer({ apiKey: Redacted.make(apiKey), baseUrl: "http://lago.test", ...options.client }).pipe(
    Layer.provideMerge(LagoFake.layerHttpClient({ apiKey, seed: options.seed }))
  )

/** The requests the fake received. */
export const requests = Effect.flatMap(LagoFake.LagoFake, (fake) => fake.requests)

/** A span as recorded by `RecordingTracer`. */
export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly parent: Option.Option<Tracer.AnySpan>
  readonly links: ReadonlyArray<Tracer.SpanLink>
  readonly kind: Tracer.SpanKind
  readonly startTime: bigint
  exit: Exit.Exit<unknown, unknown> | undefined
  readonly events: Array<{ readonly name: string; readonly attributes?: Record<string, unknown> | undefined }>
}

let spanIds = 0

/** A tracer that keeps every span, to assert on names and attributes. */
export const makeRecordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const record: RecordedSpan = {
        name,
        attributes: new Map(),
        parent,
        links,
        kind,
        startTime,
        exit: undefined,
        events: []
      }
      spans.push(record)
      const spanId = `span${++spanIds}`
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId,
        traceId: "trace",
        parent,
        context,
        get status(): Tracer.SpanStatus {
          return record.exit === undefined
            ? { _tag: "Started", startTime }
            : { _tag: "Ended", startTime, endTime: startTime, exit: record.exit }
        },
        attributes: record.attributes,
        links,
        sampled: true,
        kind,
        end(_, exit) {
          record.exit = exit
        },
        attribute(key, value) {
          record.attributes.set(key, value)
        },
        event(eventName, _, attributes) {
          record.events.push({ name: eventName, attributes })
        },
        addLinks() {}
      }
      return span
    },
    context: (f) => f()
  })
  return { spans, layer: Layer.setTracer(tracer) }
}

/** A log line as recorded by `recordLogs`. */
export interface RecordedLog {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
  readonly text: string
}

/** A logger that keeps every line (at every level), with its annotations and formatted text. */
export const makeRecordingLogger = () => {
  const logs: Array<RecordedLog> = []
  const text = Logger.logfmtLogger
  const logger = Logger.make((options) => {
    const annotations: Record<string, unknown> = {}
    for (const [key, value] of options.annotations) annotations[key] = value
    logs.push({
      level: options.logLevel.label,
      message: Array.isArray(options.message) ? options.message.map(String).join(" ") : String(options.message),
      annotations,
      text: text.log(options)
    })
  })
  return { logs, layer: Logger.replace(Logger.defaultLogger, logger) }
}

/** Counts the effect steps the fibers under it take while `RuntimeFlags.OpSupervision` is on. */
export class StepCounter extends Supervisor.AbstractSupervisor<number> {
  steps = 0
  get value() {
    return Effect.sync(() => this.steps)
  }
  override onEffect<A, E>(_fiber: Fiber.RuntimeFiber<A, E>, _effect: Effect.Effect<unknown, unknown, unknown>): void {
    this.steps++
  }
}

/** Counts the fibers started under it and records the exit of each that ends. */
export class FiberRecorder extends Supervisor.AbstractSupervisor<number> {
  started = 0
  readonly exits: Array<Exit.Exit<unknown, unknown>> = []
  get value() {
    return Effect.sync(() => this.started)
  }
  override onStart<A, E, R>(
    _context: Context.Context<R>,
    _effect: Effect.Effect<A, E, R>,
    _parent: Option.Option<Fiber.RuntimeFiber<unknown, unknown>>,
    _fiber: Fiber.RuntimeFiber<A, E>
  ): void {
    this.started++
  }
  override onEnd<A, E>(exit: Exit.Exit<A, E>, _fiber: Fiber.RuntimeFiber<A, E>): void {
    this.exits.push(exit)
  }
}

/**
 * Watches, for the scope, the timers set with `delay` ms: how many were set, which are still
 * pending (set, neither cleared nor fired), and how many of those would keep the process alive
 * (referenced). Give each test a delay of its own: a timer set before the watch is not seen.
 */
export const watchTimers = (delay: number) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const pending = new Set<ReturnType<typeof setTimeout>>()
      const watched = {
        set: 0,
        pending,
        holding: () => [...pending].filter((timer) => timer.hasRef()).length
      }
      const setTimer = globalThis.setTimeout
      const clearTimer = globalThis.clearTimeout
      const setSpy = vi.spyOn(globalThis, "setTimeout").mockImplementation((handler, ms, ...rest) => {
        if (ms !== delay) return setTimer(handler, ms, ...rest)
        watched.set++
        const timer = setTimer(() => {
          pending.delete(timer)
          handler(...rest)
        }, ms)
        pending.add(timer)
        return timer
      })
      const clearSpy = vi.spyOn(globalThis, "clearTimeout").mockImplementation((timer) => {
        if (timer !== undefined && typeof timer !== "string" && typeof timer !== "number") pending.delete(timer)
        clearTimer(timer)
      })
      return { watched, restore: () => (setSpy.mockRestore(), clearSpy.mockRestore()) }
    }),
    ({ restore }) => Effect.sync(restore)
  ).pipe(Effect.map(({ watched }) => watched))

/** What undici's `request` listens to for an abort: an `AbortSignal`, or anything like an event target. */
export interface Listenable {
  addEventListener(type: string, listener: () => void, options?: { readonly once?: boolean }): void
}

export const isListenable = (signal: unknown): signal is Listenable =>
  typeof signal === "object" && signal !== null && "addEventListener" in signal &&
  typeof signal.addEventListener === "function"
