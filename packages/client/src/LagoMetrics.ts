/**
 * Metrics every Lago client updates, for dashboards and progress reports. They are Effect
 * `Metric`s: read them with `Metric.value`, or export them with your metrics layer
 * (OpenTelemetry, Prometheus).
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"

/**
 * Failed attempts that are tried again (`lago_client_retries_total`), tagged with the Lago
 * operation id (`operation`, e.g. `findAllCustomers`). A call that succeeds on its third
 * attempt adds 2; a failure that is not retried adds nothing. Updated only when a retry
 * happens: nothing is spent on calls that succeed at once.
 *
 * @example
 * ```ts
 * import { LagoMetrics } from "@lago-effect/client"
 * import { Effect, Metric } from "effect"
 *
 * const listRetries = Metric.value(LagoMetrics.retries.pipe(Metric.tagged("operation", "findAllCustomers"))).pipe(
 *   Effect.map((state) => state.count)
 * )
 * ```
 *
 * @category metrics
 * @since 0.1.0
 */
export const retries: Metric.Metric.Counter<number> = Metric.counter("lago_client_retries_total", {
  description: "Failed Lago API attempts that are tried again",
  incremental: true
})
