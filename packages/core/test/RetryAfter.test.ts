import { describe, expect, it } from "@effect/vitest"
import { LagoError, RetryAfter } from "@lago-effect/core"
import { FastCheck as fc, Option } from "effect"

const now = Date.parse("2026-01-01T00:00:00Z")

describe("RetryAfter.fromHeaders", () => {
  it.each([
    ["nothing", {}, Option.none()],
    ["Retry-After seconds", { "retry-after": "3" }, Option.some(3000)],
    ["Retry-After 0", { "retry-after": "0" }, Option.some(0)],
    ["Retry-After HTTP-date", { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, Option.some(5000)],
    ["Retry-After date in the past", { "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }, Option.some(0)],
    ["Retry-After garbage", { "retry-after": "soon" }, Option.none()],
    ["Retry-After negative", { "retry-after": "-1" }, Option.none()],
    ["retry-after-ms", { "retry-after-ms": "250" }, Option.some(250)],
    ["the longest wins", { "retry-after-ms": "250", "retry-after": "2" }, Option.some(2000)],
    [
      "X-RateLimit-Reset when none remain",
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "4" },
      Option.some(4000)
    ],
    ["X-RateLimit-Reset alone", { "x-ratelimit-reset": "4" }, Option.some(4000)],
    [
      "X-RateLimit-Reset while requests remain",
      { "x-ratelimit-remaining": "3", "x-ratelimit-reset": "4" },
      Option.none()
    ]
  ])("%s", (_, headers, expected) => {
    expect(RetryAfter.fromHeaders(headers, now)).toEqual(expected)
  })

  it.prop("reads any delta-seconds exactly", [fc.integer({ min: 0, max: 1_000_000 })], ([seconds]) => {
    expect(RetryAfter.fromHeaders({ "retry-after": String(seconds) }, now)).toEqual(Option.some(seconds * 1000))
  }, { fastCheck: { numRuns: 500 }, timeout: 30_000 })

  it.each([
    ["a 310-digit Retry-After", { "retry-after": "9".repeat(310) }, Option.none()],
    ["a 310-digit retry-after-ms", { "retry-after-ms": "9".repeat(310) }, Option.none()],
    ["a 310-digit X-RateLimit-Reset", { "x-ratelimit-reset": "9".repeat(310) }, Option.none()],
    ["an exponent", { "retry-after": "1e3" }, Option.none()],
    ["Infinity", { "retry-after": "Infinity" }, Option.none()],
    ["hexadecimal", { "retry-after": "0x10" }, Option.none()],
    ["a repeated header: the largest sane value", { "retry-after": "1, 2" }, Option.some(2000)],
    ["a repeated header with garbage", { "retry-after": "junk, 3, 9".concat("9".repeat(300)) }, Option.some(3000)],
    [
      "two HTTP-dates",
      { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT, Thu, 01 Jan 2026 00:00:09 GMT" },
      Option.some(9000)
    ],
    ["a date and seconds", { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT, 7" }, Option.some(7000)],
    ["a date no calendar holds", { "retry-after": "Thu, 01 Jan 300000 00:00:05 GMT" }, Option.none()],
    ["a date a million years on is capped", { "retry-after": "Sat, 01 Jan 9999 00:00:00 GMT" }, Option.some(1e12)],
    [
      "a huge limit with a sane reset",
      { "x-ratelimit-limit": "9".repeat(400), "x-ratelimit-reset": "2" },
      Option.some(2000)
    ]
  ])("ignores what is not a sane number: %s", (_, headers, expected) => {
    expect(RetryAfter.fromHeaders(headers, now)).toEqual(expected)
  })

  /** Header values from the whole string space, with the shapes that break naive parsers. */
  const headerValue = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.stringMatching(/^\d{1,400}$/),
    fc.stringMatching(/^-?\d{1,30}(\.\d{0,30})?([eE][+-]?\d{1,4})?$/),
    fc.constantFrom("Infinity", "-Infinity", "NaN", "-0", " 5 ", "1.", ".5", "0x1F", "1_000", "\u0000", ""),
    fc.date({ noInvalidDate: false }).map((date) => Number.isNaN(date.getTime()) ? "Invalid Date" : date.toUTCString()),
    fc.array(fc.oneof(fc.stringMatching(/^\d{1,400}$/), fc.string({ maxLength: 8 })), { minLength: 2, maxLength: 4 })
      .map((values) => values.join(", "))
  )
  const headerNames = [
    "retry-after",
    "retry-after-ms",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset"
  ]
  const headers = fc.dictionary(fc.constantFrom(...headerNames), headerValue, { maxKeys: 5 })

  it.prop(
    "any header values give a finite wait within the cap, or none; never a throw",
    [headers],
    ([values]) => {
      const wait = RetryAfter.fromHeaders(values, now)
      if (Option.isSome(wait)) {
        expect(Number.isFinite(wait.value)).toBe(true)
        expect(wait.value).toBeGreaterThanOrEqual(0)
        expect(wait.value).toBeLessThanOrEqual(RetryAfter.maxHeaderNumber * 1000)
      }
      for (const value of Object.values(RetryAfter.rateLimitInfo(values))) {
        expect(Number.isFinite(value) && value >= 0 && value <= RetryAfter.maxHeaderNumber).toBe(true)
      }
    },
    { fastCheck: { numRuns: 2_000 }, timeout: 60_000 }
  )

  it.prop(
    "any header values and status map to a typed error: the error constructors never throw",
    [headers, fc.integer({ min: 300, max: 599 })],
    ([values, status]) => {
      const error = LagoError.fromResponse({
        operation: "findCustomer",
        status,
        headers: values,
        body: "",
        method: "GET",
        url: "http://h/x",
        nowMillis: now
      })
      expect(LagoError.isLagoError(error)).toBe(true)
      expect(() => JSON.stringify(error)).not.toThrow()
    },
    { fastCheck: { numRuns: 1_000 }, timeout: 60_000 }
  )

  it("reads the rate limit headers", () => {
    expect(RetryAfter.rateLimitInfo({ "x-ratelimit-limit": "50", "x-ratelimit-remaining": "7" })).toEqual({
      limit: 50,
      remaining: 7
    })
  })
})
