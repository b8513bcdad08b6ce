import { describe, expect, it } from "@effect/vitest"
import { RetryAfter } from "@lago-effect/core"
import { FastCheck, Option } from "effect"

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

  it.prop("reads any delta-seconds exactly", [FastCheck.integer({ min: 0, max: 1_000_000 })], ([seconds]) => {
    expect(RetryAfter.fromHeaders({ "retry-after": String(seconds) }, now)).toEqual(Option.some(seconds * 1000))
  })

  it("reads the rate limit headers", () => {
    expect(RetryAfter.rateLimitInfo({ "x-ratelimit-limit": "50", "x-ratelimit-remaining": "7" })).toEqual({
      limit: 50,
      remaining: 7
    })
  })
})
