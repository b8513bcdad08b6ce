/**
 * How an export reports progress on standard error: a bar redrawn in place on a terminal
 * (count / total, percentage, rate, ETA, retries so far), plain lines every few seconds
 * otherwise (CI logs, `2> file`), and a summary at the end.
 *
 * @since 0.1.0
 */
import type { Scope } from "effect"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { CliOutput } from "./CliOutput.js"

/**
 * Where an export stands.
 *
 * @category models
 * @since 0.1.0
 */
export interface State {
  /** Customers written so far. */
  readonly customers: number
  /** Pages read so far. */
  readonly pages: number
  /** `total_count` of the first page: how many customers Lago had when the export started. */
  readonly total: number | undefined
  /** Failed attempts retried so far. */
  readonly retries: number
  readonly elapsed: Duration.Duration
}

/**
 * `auto`: a bar on a terminal, lines otherwise; `none`: only the summary.
 *
 * @category models
 * @since 0.1.0
 */
export type Mode = "auto" | "bar" | "lines" | "none"

const count = (n: number) => Math.round(n).toLocaleString("en-US")

/** `42 s`, `3 min 05 s`, `1 h 02 min`. */
const clock = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`
}

const rateOf = (state: State) => {
  const seconds = Duration.toMillis(state.elapsed) / 1000
  return seconds > 0 ? state.customers / seconds : 0
}

/** Remaining time at the rate so far; unknown before the first customers or without a total. */
const etaOf = (state: State) => {
  const rate = rateOf(state)
  if (state.total === undefined || rate === 0) return "ETA ?"
  return `ETA ${clock(Math.max(0, state.total - state.customers) / rate)}`
}

const fraction = (state: State) =>
  state.total === undefined || state.total === 0 ? undefined : Math.min(1, state.customers / state.total)

const retries = (n: number) => `${count(n)} ${n === 1 ? "retry" : "retries"}`

/**
 * One frame of the bar, fitted to `columns` (no line end: the caller redraws in place).
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderBar = (state: State, columns: number): string => {
  const done = fraction(state)
  const figures = [
    `${count(state.customers)}/${state.total === undefined ? "?" : count(state.total)}`,
    done === undefined ? "" : `${(done * 100).toFixed(1)}%`,
    `${count(rateOf(state))}/s`,
    etaOf(state),
    retries(state.retries)
  ].filter((part) => part !== "").join("  ")
  const width = Math.min(40, columns - figures.length - 4)
  if (width < 5) return figures.slice(0, Math.max(0, columns - 1))
  const filled = Math.round((done ?? 0) * width)
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${figures}`
}

/**
 * One progress line for logs.
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderLine = (state: State): string => {
  const done = fraction(state)
  const of = state.total === undefined ? "" : ` of ${count(state.total)}`
  const percent = done === undefined ? "" : ` (${(done * 100).toFixed(1)}%)`
  return `exported ${count(state.customers)}${of} customers${percent}, ${count(state.pages)} pages, ${
    count(rateOf(state))
  }/s, ${etaOf(state)}, ${retries(state.retries)}, ${clock(Duration.toMillis(state.elapsed) / 1000)} elapsed`
}

/**
 * The closing summary: customers, pages, retries, elapsed time, where they went.
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderSummary = (state: State, destination: string): string => {
  const seconds = Duration.toMillis(state.elapsed) / 1000
  const total = state.total === undefined || state.total === state.customers
    ? ""
    : ` (Lago counted ${count(state.total)} when the export started)`
  return [
    `Exported ${count(state.customers)} customers${total} to ${destination}`,
    `  customers ${count(state.customers)}`,
    `  pages     ${count(state.pages)}`,
    `  retries   ${count(state.retries)}`,
    `  elapsed   ${seconds < 10 ? `${seconds.toFixed(1)} s` : clock(seconds)} (${count(rateOf(state))} customers/s)`
  ].join("\n")
}

/**
 * How often each mode redraws: a bar ten times a second, a line every two seconds.
 *
 * @category rendering
 * @since 0.1.0
 */
export const intervals = { bar: Duration.millis(100), lines: Duration.seconds(2) } as const

/**
 * Reports `read`'s state on standard error while the scope lasts, and draws the last frame
 * when it closes (the bar's line is then ended, so the summary starts on its own line).
 *
 * @category reporting
 * @since 0.1.0
 */
export const report = (
  mode: Mode,
  read: Effect.Effect<State>
): Effect.Effect<void, never, CliOutput | Scope.Scope> =>
  Effect.gen(function*() {
    const output = yield* CliOutput
    const resolved = mode === "auto" ? (output.stderrIsTTY ? "bar" : "lines") : mode
    if (resolved === "none") return
    const draw = resolved === "bar"
      ? Effect.flatMap(read, (state) => output.stderr(`\r\x1b[2K${renderBar(state, output.columns)}`))
      : Effect.flatMap(read, (state) => output.stderr(`${renderLine(state)}\n`))
    const interval = intervals[resolved]
    // Finalizers run last-added first: the ticker stops before the last frame is drawn.
    yield* Effect.addFinalizer(() => resolved === "bar" ? Effect.zipRight(draw, output.stderr("\n")) : Effect.void)
    yield* Effect.forkScoped(Effect.zipRight(Effect.sleep(interval), Effect.repeat(draw, Schedule.spaced(interval))))
  })
