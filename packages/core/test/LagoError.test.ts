import { describe, expect, it } from "@effect/vitest"
import { LagoError } from "@lago-effect/core"
import { Arbitrary, FastCheck, Schema } from "effect"
import { methodNotAllowedBody, notFoundBody, unauthorizedBody, validationBody } from "./fixtures.js"

const now = Date.parse("2026-01-01T00:00:00Z")
const base = {
  operation: "findCustomer",
  method: "GET",
  url: "https://api.getlago.com/api/v1/customers/acme",
  nowMillis: now
} as const

const map = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  LagoError.fromResponse({
    ...base,
    status,
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

const cases: ReadonlyArray<readonly [string, number, unknown, LagoError.LagoError["_tag"], string | undefined]> = [
  [
    "400 missing param",
    400,
    { status: 400, error: "BadRequest: param is missing or the value is empty or invalid: customer" },
    "LagoBadRequestError",
    undefined
  ],
  ["400 malformed JSON (framework)", 400, { status: 400, error: "Bad Request" }, "LagoBadRequestError", undefined],
  ["401", 401, unauthorizedBody, "LagoUnauthorizedError", undefined],
  [
    "403 permissions",
    403,
    { status: 403, error: "Forbidden", code: "write_action_not_allowed_for_customer" },
    "LagoForbiddenError",
    "write_action_not_allowed_for_customer"
  ],
  ["404 customer", 404, notFoundBody, "LagoNotFoundError", "customer_not_found"],
  [
    "404 applied coupon",
    404,
    { status: 404, error: "Not Found", code: "applied_coupon_not_found" },
    "LagoNotFoundError",
    "applied_coupon_not_found"
  ],
  ["404 routing (no code)", 404, { status: 404, error: "Not Found" }, "LagoNotFoundError", undefined],
  ["404 empty body", 404, "", "LagoNotFoundError", undefined],
  ["405 no subscription", 405, methodNotAllowedBody, "LagoMethodNotAllowedError", "no_active_subscription"],
  [
    "405 full usage",
    405,
    { status: 405, error: "Method Not Allowed", code: "full_usage_not_allowed" },
    "LagoMethodNotAllowedError",
    "full_usage_not_allowed"
  ],
  ["422 validation", 422, validationBody, "LagoValidationError", "validation_errors"],
  [
    "422 provider error",
    422,
    {
      status: 422,
      error: "Unprocessable Entity",
      code: "provider_error",
      provider: { code: "stripe_1" },
      error_details: { message: "card declined" }
    },
    "LagoValidationError",
    "provider_error"
  ],
  [
    "422 third party",
    422,
    {
      status: 422,
      error: "Unprocessable Entity",
      code: "third_party_error",
      error_details: { third_party: "netsuite", thirdparty_error: "boom" }
    },
    "LagoValidationError",
    "third_party_error"
  ],
  [
    "422 list filter with nested details",
    422,
    {
      status: 422,
      error: "Unprocessable Entity",
      code: "validation_errors",
      error_details: { countries: { "0": ["must be one of: AD, XK"] }, metadata: { is_synced: ["must be a string"] } }
    },
    "LagoValidationError",
    "validation_errors"
  ],
  [
    "429 provider throttling",
    429,
    {
      status: 429,
      error: "Too Many Provider Requests",
      code: "too_many_provider_requests",
      error_details: { provider_name: "anrok", message: "Service anrok is not available. Try again later." }
    },
    "LagoRateLimitError",
    "too_many_provider_requests"
  ],
  ["429 Cloud edge, plain text", 429, "Too Many Requests", "LagoRateLimitError", undefined],
  ["500 framework", 500, { status: 500, error: "Internal Server Error" }, "LagoServerError", undefined],
  ["502 HTML from a proxy", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "LagoServerError", undefined],
  ["503 empty", 503, "", "LagoServerError", undefined],
  ["408", 408, "", "LagoUnexpectedStatusError", undefined],
  ["409 JSON array", 409, [1, 2], "LagoUnexpectedStatusError", undefined],
  ["302", 302, "", "LagoRedirectError", undefined],
  ["308 with a body", 308, { status: 308, code: "moved" }, "LagoRedirectError", undefined],
  [
    "404 with ill-typed keys keeps the good ones",
    404,
    { status: "404", error: 3, code: "customer_not_found", error_details: "x" },
    "LagoNotFoundError",
    "customer_not_found"
  ]
]

describe("LagoError.fromResponse", () => {
  it.each(cases)("%s maps to its tag", (_, status, body, tag, code) => {
    const error = map(status, body)
    expect(error._tag).toBe(tag)
    expect(error.status).toBe(status)
    expect(error.code).toBe(code)
    expect(error.method).toBe("GET")
    expect(LagoError.isLagoError(error)).toBe(true)
    expect(error.message).toContain(`HTTP ${status}`)
  })

  it("keeps error_details, nested objects included, and the provider", () => {
    const error = map(422, {
      status: 422,
      error: "Unprocessable Entity",
      code: "provider_error",
      provider: { code: "stripe_1" },
      error_details: { countries: { "0": ["must be one of: AD"] } }
    })
    expect(error.error_details).toEqual({ countries: { "0": ["must be one of: AD"] } })
    expect(error.provider).toEqual({ code: "stripe_1" })
    expect(error.message).toContain("must be one of: AD")
  })

  it("drops error_details nested deeper than any Lago body, so that printing the error cannot overflow", () => {
    const deep = "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)
    const error = map(422, `{"status":422,"code":"validation_errors","error_details":${deep}}`)
    expect(error.code).toBe("validation_errors")
    expect(error.error_details).toBeUndefined()
    expect(error.message).toContain("HTTP 422")
    expect(JSON.stringify(error)).toContain("validation_errors")
    const shallow = map(422, "{\"error_details\":{\"a\":{\"b\":{\"c\":[\"x\"]}}}}")
    expect(shallow.error_details).toEqual({ a: { b: { c: ["x"] } } })
  })

  it("takes the request id from the response, else the one sent", () => {
    expect(LagoError.fromResponse({ ...base, status: 500, headers: {}, body: "", requestId: "sent" }).requestId)
      .toBe("sent")
    expect(
      LagoError.fromResponse({
        ...base,
        status: 500,
        headers: { "x-request-id": "echoed" },
        body: "",
        requestId: "sent"
      }).requestId
    ).toBe("echoed")
  })

  it("reads rate limit headers and the wait into LagoRateLimitError", () => {
    const error = map(429, "", {
      "x-ratelimit-limit": "50",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": "2",
      "retry-after": "1"
    })
    expect(error._tag).toBe("LagoRateLimitError")
    if (error._tag === "LagoRateLimitError") {
      expect([error.limit, error.remaining, error.reset, error.retryAfterMillis]).toEqual([50, 0, 2, 2000])
    }
  })

  it("reads Retry-After on a 503", () => {
    const error = map(503, "", { "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" })
    expect(error._tag === "LagoServerError" && error.retryAfterMillis).toBe(7000)
  })
})

describe("LagoError secrets", () => {
  const key = "lago_sk_live_SECRET_0123456789"

  it("removes credentials from the URL of every error", () => {
    const error = LagoError.fromResponse({
      ...base,
      url: `https://user:${key}@lago.example.com/api/v1/customers/acme#${key}`,
      status: 401,
      headers: {},
      body: JSON.stringify(unauthorizedBody)
    })
    for (const text of [error.message, String(error), JSON.stringify(error), error.url]) {
      expect(text).not.toContain(key)
    }
    expect(error.url).toBe("https://lago.example.com/api/v1/customers/acme")
  })

  it("removes credentials from URLs that do not parse", () => {
    expect(LagoError.redactUrl(`//user:${key}@host/x y`)).not.toContain(key)
  })
})

describe("LagoError serialisation", () => {
  it.prop("every error encodes and decodes back", [Arbitrary.make(LagoError.LagoError)], ([error]) => {
    const encoded = JSON.parse(JSON.stringify(Schema.encodeSync(LagoError.LagoError)(error)))
    const decoded = Schema.decodeUnknownSync(LagoError.LagoError)(encoded)
    expect(decoded._tag).toBe(error._tag)
    expect(Schema.equivalence(LagoError.LagoError)(decoded, error)).toBe(true)
  }, { fastCheck: { numRuns: 300 }, timeout: 60_000 })

  it("has one tag per failure, sixteen in all", () => {
    const tags = new Set(FastCheck.sample(Arbitrary.make(LagoError.LagoError), 3000).map((e) => e._tag))
    expect(tags.size).toBe(16)
  })
})

describe("LagoError messages quote what a server wrote inert", () => {
  // What a message must never carry raw: C0 controls but tab, DEL, C1, line and paragraph
  // separators, bidirectional controls.
  const unsafeCodes = (text: string) =>
    Array.from(text, (char) => char.charCodeAt(0)).filter((code) =>
      (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || code === 0x061c || code === 0x200e ||
      code === 0x200f || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    )

  // Text as a hostile server may write it: any character, the unsafe ones often.
  const hostile = FastCheck.array(
    FastCheck.oneof(
      FastCheck.constantFrom("\n", "\r\n", "\u001b[2J", "\u001b]0;owned\u0007", "\u202e", "\u2028", "\u0085", "\u0000"),
      FastCheck.string({ unit: "grapheme", maxLength: 8 }),
      FastCheck.string({ unit: "binary", maxLength: 8 })
    ),
    { maxLength: 40 }
  ).map((parts) => parts.join(""))

  const transport = (description: string, errno?: string) =>
    new LagoError.LagoTransportError({
      operation: "findCustomer",
      method: "GET",
      url: base.url,
      phase: "response",
      description,
      ...(errno === undefined ? {} : { errno })
    })

  const decode = (issue: string, requestId: string) =>
    new LagoError.LagoDecodeError({
      operation: "findCustomer",
      method: "GET",
      url: base.url,
      status: 200,
      issue,
      requestId
    })

  it.prop(
    "one line, nothing unsafe, whatever Lago's code, error, request id, a transport's description or a decode issue says; the fields keep the text",
    [hostile, hostile, hostile],
    ([code, text, requestId]) => {
      const response = map(404, { status: 404, error: text, code }, { "x-request-id": requestId.slice(0, 255) })
      const failed = transport(text, code)
      const undecoded = decode(text, requestId)
      for (const error of [response, failed, undecoded]) {
        expect(unsafeCodes(error.message)).toEqual([])
      }
      expect(response.code).toBe(code)
      expect(response.error).toBe(text)
      expect(failed.description).toBe(text)
      expect(undecoded.issue).toBe(text)
    },
    { fastCheck: { numRuns: 300 }, timeout: 60_000 }
  )

  it("shows each unsafe character as its escape, and plain text as it is", () => {
    const error = map(404, {
      status: 404,
      error: "Not Found\nERROR forged line \u001b[2J\u202egnp.exe",
      code: "customer_not_found"
    })
    expect(error.message).toBe(
      "Lago findCustomer: found nothing (HTTP 404, customer_not_found: Not Found\\u000aERROR forged line " +
        "\\u001b[2J\\u202egnp.exe) on GET https://api.getlago.com/api/v1/customers/acme"
    )
    const plain = map(404, notFoundBody)
    expect(plain.message).toBe(
      "Lago findCustomer: found nothing (HTTP 404, customer_not_found: Not Found) on GET " +
        "https://api.getlago.com/api/v1/customers/acme"
    )
    expect(transport("socket hang up\tafter 3 bytes").message).toContain(": socket hang up\tafter 3 bytes")
  })

  it("quotes at most 200 characters of Lago's code and error and 2,000 of a description or issue, never half a character", () => {
    const long = "x".repeat(199) + "😀" + "y".repeat(50_000)
    const error = map(500, { status: 500, error: long, code: long })
    expect(error.error).toBe(long)
    expect(error.message).toContain(`(HTTP 500, ${"x".repeat(199)}…: ${"x".repeat(199)}…)`)
    expect(error.message.length).toBeLessThan(600)
    const report = "z".repeat(3_000)
    expect(transport(report).message).toContain(`: ${"z".repeat(2_000)}…`)
    expect(decode(report, "id").message.length).toBeLessThan(2_200)
  })
})
