/**
 * The fake's fault plan: rules (a fault per route, per request, a number of times), seeded
 * random faults and a fixed-window rate limit. Its state is an immutable value in a `Ref`,
 * each request consuming rules and random draws in one `Ref.modify`.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type * as Fault from "../Fault.js"

type Chosen = Exclude<Fault.Fault, { readonly _tag: "Latency" }>

/** What a request gets: the latencies that add up, and at most one other fault. */
export interface Picked {
  readonly delays: ReadonlyArray<Duration.DurationInput>
  readonly fault: Chosen | undefined
}

interface RuleState {
  readonly rule: Fault.Rule
  readonly remaining: number
}

interface RandomState {
  readonly config: Fault.RandomFaults
  /** The state of a mulberry32 generator: the same seed, the same faults. */
  readonly seed: number
}

interface LimitState {
  readonly config: Fault.RateLimit
  readonly start: number
  readonly count: number
}

interface PlanState {
  readonly rules: ReadonlyArray<RuleState>
  readonly random: RandomState | null
  readonly limit: LimitState | null
}

/** One step of mulberry32: a number in [0, 1) and the next state. */
const draw = (seed: number): readonly [number, number] => {
  const next = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(next ^ (next >>> 15), next | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next]
}

/** Latency rules all add up; the first other matching rule (or a random fault) is the fault. */
const pickRules = (rules: ReadonlyArray<RuleState>, info: Fault.RequestInfo) => {
  const delays: Array<Duration.DurationInput> = []
  let fault: Chosen | undefined
  const next = rules.map((entry) => {
    const { rule } = entry
    if (entry.remaining <= 0) return entry
    if (rule.route !== undefined && rule.route !== info.operation) return entry
    if (rule.when !== undefined && !rule.when(info)) return entry
    if (rule.fault._tag !== "Latency" && fault !== undefined) return entry
    if (rule.fault._tag === "Latency") delays.push(rule.fault.duration)
    else fault = rule.fault
    return { rule, remaining: entry.remaining - 1 }
  })
  return { delays, fault, rules: next }
}

const pickRandom = (random: RandomState | null, info: Fault.RequestInfo) => {
  if (random === null || random.config.faults.length === 0) return { random, fault: undefined }
  if (random.config.route !== undefined && random.config.route !== info.operation) return { random, fault: undefined }
  const [roll, afterRoll] = draw(random.seed)
  if (roll >= random.config.rate) return { random: { ...random, seed: afterRoll }, fault: undefined }
  const [which, afterPick] = draw(afterRoll)
  const fault = random.config.faults[Math.floor(which * random.config.faults.length)]
  return { random: { ...random, seed: afterPick }, fault }
}

const pick = (state: PlanState, info: Fault.RequestInfo): readonly [Picked, PlanState] => {
  const fromRules = pickRules(state.rules, info)
  const fromRandom = fromRules.fault === undefined
    ? pickRandom(state.random, info)
    : { random: state.random, fault: undefined }
  const delays = [...fromRules.delays]
  let fault = fromRules.fault
  if (fromRandom.fault !== undefined) {
    if (fromRandom.fault._tag === "Latency") delays.push(fromRandom.fault.duration)
    else fault = fromRandom.fault
  }
  return [{ delays, fault }, { ...state, rules: fromRules.rules, random: fromRandom.random }]
}

/** Counts a request against the window; the `X-RateLimit-*` headers and whether it is over. */
const countRequest = (
  limit: LimitState,
  now: number
): readonly [{ readonly headers: Record<string, string>; readonly exceeded: boolean }, LimitState] => {
  const windowMillis = Duration.toMillis(limit.config.window)
  const start = now - limit.start >= windowMillis ? now - ((now - limit.start) % windowMillis) : limit.start
  const count = (start === limit.start ? limit.count : 0) + 1
  const headers = {
    "x-ratelimit-limit": String(limit.config.limit),
    "x-ratelimit-remaining": String(Math.max(0, limit.config.limit - count)),
    "x-ratelimit-reset": String(Math.max(1, Math.ceil((start + windowMillis - now) / 1000)))
  }
  return [{ headers, exceeded: count > limit.config.limit }, { ...limit, start, count }]
}

/** The plan of one fake. */
export interface FaultPlan {
  readonly inject: (rule: Fault.Rule) => Effect.Effect<void>
  readonly randomFaults: (config: Fault.RandomFaults | null) => Effect.Effect<void>
  readonly rateLimit: (config: Fault.RateLimit | null) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  /** The faults of one request (rules and random draws consumed). */
  readonly pick: (info: Fault.RequestInfo) => Effect.Effect<Picked>
  /** Counts one request against the rate limit, if any. */
  readonly countRequest: Effect.Effect<{ readonly headers: Record<string, string>; readonly exceeded: boolean }>
}

/** An empty plan. */
export const make: Effect.Effect<FaultPlan> = Effect.map(
  Ref.make<PlanState>({ rules: [], random: null, limit: null }),
  (ref): FaultPlan => ({
    inject: (rule) =>
      Ref.update(ref, (state) => ({
        ...state,
        rules: [...state.rules, { rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }]
      })),
    randomFaults: (config) =>
      Ref.update(ref, (state) => ({ ...state, random: config === null ? null : { config, seed: config.seed } })),
    rateLimit: (config) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          Ref.update(ref, (state) => ({ ...state, limit: config === null ? null : { config, start: now, count: 0 } }))
      ),
    clear: Ref.set(ref, { rules: [], random: null, limit: null }),
    pick: (info) => Ref.modify(ref, (state) => pick(state, info)),
    countRequest: Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Ref.modify(ref, (state) => {
        if (state.limit === null) return [{ headers: {}, exceeded: false }, state] as const
        const [result, limit] = countRequest(state.limit, now)
        return [result, { ...state, limit }] as const
      }))
  })
)
