/**
 * The instants decoders make (by the compiled fast path and by the Schema decoder) are the
 * `DateTime.Utc` values effect itself makes: the same prototype and own properties, equal by
 * `Equal`, deeply equal, and usable by every DateTime function, including its parts cache.
 */
import { describe, expect, it } from "@effect/vitest"
import { Customer, CustomerUsage, Decoder } from "@lago-effect/core"
import { DateTime, Effect, Equal, FastCheck as fc, Schema } from "effect"
import { customerResponse, customerUsageResponse } from "./fixtures.js"

const customerDecoder = Decoder.make(Customer.Customer)
const usageDecoder = Decoder.make(CustomerUsage.CustomerUsage)

/** What `DateTime.unsafeMake` makes for the same instant, described property by property. */
const describeValue = (value: object) => ({
  prototype: Object.getPrototypeOf(value),
  properties: Object.getOwnPropertyDescriptors(value)
})

const sameAsEffect = (decoded: DateTime.Utc, millis: number) => {
  const expected = DateTime.unsafeMake(millis)
  // First, before any use caches anything on either value.
  expect(describeValue(decoded)).toStrictEqual(describeValue(expected))
  expect(decoded).toStrictEqual(expected)
  expect(Equal.equals(decoded, expected)).toBe(true)
  expect(DateTime.isDateTime(decoded) && DateTime.isUtc(decoded)).toBe(true)
  expect(DateTime.formatIso(decoded)).toBe(new Date(millis).toISOString())
  expect(DateTime.toPartsUtc(decoded)).toStrictEqual(DateTime.toPartsUtc(expected))
  // The parts are cached on first use, as on effect's own values, and stay out of sight.
  expect(DateTime.toPartsUtc(decoded)).toBe(DateTime.toPartsUtc(decoded))
  expect(Object.keys(decoded)).toStrictEqual(["epochMillis"])
  expect(DateTime.add(decoded, { days: 1 }).epochMillis).toBe(millis + 86_400_000)
}

const instant = fc.integer({ min: Date.UTC(0, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) })
const day = fc.integer({ min: 0, max: 2_900_000 }).map((days) => days * 86_400_000)

describe("decoded instants", () => {
  it("are effect's DateTime.Utc values, on the fast path and on the Schema decoder's", () => {
    const decodeSlow = Schema.decodeUnknownSync(Customer.Customer)
    fc.assert(
      fc.property(instant, (millis) => {
        const input = { ...customerResponse.customer, created_at: new Date(millis).toISOString() }
        expect(customerDecoder.fastAccepts(input)).toBe(true)
        sameAsEffect(Effect.runSync(customerDecoder.decode(input)).created_at, millis)
        sameAsEffect(decodeSlow(input).created_at, millis)
      }),
      { numRuns: 300 }
    )
  })

  it("of calendar dates are midnight UTC DateTime.Utc values", () => {
    fc.assert(
      fc.property(day, (millis) => {
        const input = {
          ...customerUsageResponse.customer_usage,
          issuing_date: new Date(millis).toISOString().slice(0, 10)
        }
        expect(usageDecoder.fastAccepts(input)).toBe(true)
        sameAsEffect(Effect.runSync(usageDecoder.decode(input)).issuing_date, millis)
      }),
      { numRuns: 300 }
    )
  })
})
