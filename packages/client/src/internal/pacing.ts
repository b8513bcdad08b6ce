/**
 * How streams stay within a server's rate limit: a sliding one-second window of the page
 * requests a client's streams made, and what each response says about the limit.
 *
 * Lago Cloud limits each organization to 50 requests per second on these endpoints (shared by
 * every key) and sends `X-RateLimit-Limit` / `-Remaining` / `-Reset` with every response;
 * self-hosted Lago has no limit and sends none of them.
 */
import type { HttpClientResponse } from "@effect/platform"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"

/** What one response says about the server's rate limit. */
export interface RateSignal {
  readonly status: number
  /** `X-RateLimit-Limit`: requests allowed per window. */
  readonly limit: number | undefined
  /** `X-RateLimit-Remaining`: requests left in this window. */
  readonly remaining: number | undefined
  /** `X-RateLimit-Reset`: seconds until the window resets. */
  readonly resetSeconds: number | undefined
}

/** Told of every response a call gets, when set: how a stream learns the server's limit. */
export const currentRateObserver: FiberRef.FiberRef<((signal: RateSignal) => void) | undefined> = globalValue(
  Symbol.for("@lago-effect/client/currentRateObserver"),
  () => FiberRef.unsafeMake<((signal: RateSignal) => void) | undefined>(undefined)
)

const count = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : undefined

/** What `response` says about the rate limit. */
export const rateSignal = (
  response: Pick<HttpClientResponse.HttpClientResponse, "status" | "headers">
): RateSignal => {
  const headers = response.headers
  return {
    status: response.status,
    limit: count(headers["x-ratelimit-limit"]),
    remaining: count(headers["x-ratelimit-remaining"]),
    resetSeconds: count(headers["x-ratelimit-reset"])
  }
}

/** Tells the fiber's observer, if any, what `response` says about the rate limit. */
export const observe = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(currentRateObserver), (observer) => {
    if (observer !== undefined) observer(rateSignal(response))
    return Effect.void
  })

/** Hosts of Lago Cloud, whose documented limit applies before any response announces it. */
const cloudHosts = new Set(["api.getlago.com", "api.eu.getlago.com", "api.us.getlago.com"])

/** Requests per second a client's streams make at most against Lago Cloud: 80% of its 50. */
export const cloudRequestsPerSecond = 40

/** The share of an announced limit a client's streams use, leaving room for other callers. */
export const announcedShare = 0.8

/** The cap that applies before any response announced a limit: Lago Cloud's, or none. */
export const initialCap = (baseUrl: string): number | undefined => {
  const host = URL.canParse(baseUrl) ? new URL(baseUrl).hostname : ""
  return cloudHosts.has(host) ? cloudRequestsPerSecond : undefined
}

/**
 * The page requests of one client's streams over the last second, shared by all of them: a
 * stream waits before a request that would put more than its cap in any one-second window,
 * and all of them wait while the server said its window is spent.
 */
export interface RequestWindow {
  /** Waits until one more request fits under `perSecond`, then counts it. */
  readonly take: (perSecond: number) => Effect.Effect<void>
  /** No request starts before `epochMillis`. */
  readonly pauseUntil: (epochMillis: number) => void
}

const windowMillis = 1000

/** The most requests a window remembers: no cap is larger. */
const maxRemembered = 1_000

/**
 * A new, empty window. Every request is counted, capped or not, so that a cap learned from
 * a response also counts the requests made before it.
 */
export const makeRequestWindow = (): RequestWindow => {
  const sent: Array<number> = []
  let pausedUntil = 0
  const take = (perSecond: number): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (now < pausedUntil) return Effect.zipRight(Effect.sleep(pausedUntil - now), take(perSecond))
      while (sent.length > 0 && (sent[0] <= now - windowMillis || sent.length >= maxRemembered)) sent.shift()
      if (sent.length < perSecond) {
        sent.push(now)
        return Effect.void
      }
      // The oldest of the last `perSecond` requests leaves the window first.
      const wait = sent[sent.length - Math.max(1, Math.floor(perSecond))] + windowMillis - now
      return Effect.zipRight(Effect.sleep(Math.max(1, wait)), take(perSecond))
    })
  return {
    take,
    pauseUntil: (epochMillis) => {
      pausedUntil = Math.max(pausedUntil, epochMillis)
    }
  }
}
