/**
 * The hand-written ISO 8601 date-time parser against a reference (a regular expression, the
 * calendar checks and `Date.parse`), on generated date-times in every accepted form and on
 * near misses made by changing one character.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { parseIsoDateTime } from "../src/internal/schemas.js"

const pattern = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/

// The last day of a month, from the platform's calendar (a date one day after it rolls over).
const daysInMonth = (year: number, month: number) => {
  const date = new Date(0)
  date.setUTCFullYear(year, month, 0)
  return date.getUTCDate()
}

const reference = (text: string): number => {
  if (!pattern.test(text)) return Number.NaN
  const n = (from: number, to: number) => Number(text.slice(from, to))
  const [year, month, day] = [n(0, 4), n(5, 7), n(8, 10)]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN
  if (n(11, 13) > 23 || n(14, 16) > 59 || n(17, 19) > 59) return Number.NaN
  const last = text[text.length - 1]
  if (
    last !== "Z" && last !== "z" && (n(text.length - 5, text.length - 3) > 23 || n(text.length - 2, text.length) > 59)
  ) {
    return Number.NaN
  }
  return Date.parse(text)
}

const pad = (value: number, width: number) => String(value).padStart(width, "0")

const isoDateTime = fc.record({
  millis: fc.integer({ min: Date.UTC(0, 0, 1) - 1900 * 365 * 86_400_000, max: Date.UTC(9999, 11, 31) }),
  fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
  offset: fc.oneof(
    fc.constantFrom("Z", "z"),
    fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map((
      [sign, h, m]
    ) => `${sign}${pad(h, 2)}:${pad(m, 2)}`)
  ),
  t: fc.constantFrom("T", "t")
}).map(({ fraction, millis, offset, t }) => {
  const date = new Date(millis)
  const year = date.getUTCFullYear()
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}${t}` +
    `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `${fraction === undefined ? "" : `.${fraction}`}${offset}`
}).filter((text) => /^\d{4}-/.test(text))

const sameAs = (text: string) => {
  const expected = reference(text)
  const actual = parseIsoDateTime(text)
  expect(Number.isNaN(actual) ? "NaN" : actual, text).toEqual(Number.isNaN(expected) ? "NaN" : expected)
}

describe("parseIsoDateTime", () => {
  it("reads every accepted form as Date.parse does", () => {
    fc.assert(fc.property(isoDateTime, sameAs), { numRuns: 3_000 })
  })

  it("refuses what the reference refuses, one changed character at a time", () => {
    fc.assert(
      fc.property(
        isoDateTime,
        fc.nat(),
        fc.constantFrom("0", "9", "3", "2", "1", "-", ":", ".", "T", "Z", "+", " ", "x", "", "00"),
        (text, position, replacement) => {
          const at = position % text.length
          sameAs(`${text.slice(0, at)}${replacement}${text.slice(at + 1)}`)
        }
      ),
      { numRuns: 5_000 }
    )
  })

  it("checks the calendar and the clock", () => {
    for (
      const text of [
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00+23:60",
        "0000-01-01T00:00:00Z",
        "2022-04-29T08:59:51.9999999999Z",
        "2022-04-29T08:59:51.Z",
        "2022-04-29T08:59:51",
        "2022-04-29 08:59:51Z"
      ]
    ) sameAs(text)
  })
})
