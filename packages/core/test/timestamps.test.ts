/**
 * The instants decoders make (by the compiled fast path and by the Schema decoder) behave as the
 * `DateTime.Utc` values effect itself makes: DateTime's prototype in their chain, the same
 * enumerable properties, equal by `Equal`, deeply equal, usable by every DateTime function, and
 * once DateTime has cached their parts, the same own properties, descriptor for descriptor.
 */
import { describe, expect, it } from "@effect/vitest"
import { Customer, CustomerUsage, Decoder } from "@lago-effect/core"
import { DateTime, Effect, Equal, FastCheck as fc, Schema } from "effect"
import { customerResponse, customerUsageResponse } from "./fixtures.js"

const customerDecoder = Decoder.make(Customer.Customer)
const usageDecoder = Decoder.make(CustomerUsage.CustomerUsage)

const utcPrototype: unknown = Object.getPrototypeOf(DateTime.unsafeMake(0))

/** Whether DateTime's prototype is in the chain of `value`. */
const onDateTimePrototype = (value: object) => {
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto === utcPrototype) return true
  }
  return false
}

/** Own keys by name (symbols included), then each descriptor, functions left out. */
const ownProperties = (value: object) =>
  JSON.stringify([Reflect.ownKeys(value).map(String), Object.getOwnPropertyDescriptors(value)])

const sameAsEffect = (decoded: DateTime.Utc, millis: number) => {
  const expected = DateTime.unsafeMake(millis)
  // First, before any use caches anything on either value.
  expect(onDateTimePrototype(decoded)).toBe(true)
  expect(Object.keys(decoded)).toStrictEqual(Object.keys(expected))
  expect(JSON.stringify(decoded)).toBe(JSON.stringify(expected))
  expect(String(decoded)).toBe(String(expected))
  expect(decoded).toStrictEqual(expected)
  expect(Equal.equals(decoded, expected)).toBe(true)
  expect(DateTime.isDateTime(decoded) && DateTime.isUtc(decoded)).toBe(true)
  expect(DateTime.formatIso(decoded)).toBe(new Date(millis).toISOString())
  expect(DateTime.toPartsUtc(decoded)).toStrictEqual(DateTime.toPartsUtc(expected))
  // The parts are cached on first use, as on effect's own values, and stay out of sight.
  expect(DateTime.toPartsUtc(decoded)).toBe(DateTime.toPartsUtc(decoded))
  expect(Object.keys(decoded)).toStrictEqual(["epochMillis"])
  // Each value's own `Hash` method (cached by `Equal`) is a function of its own: compared by shape.
  expect(ownProperties(decoded)).toBe(ownProperties(expected))
  expect(DateTime.add(decoded, { days: 1 }).epochMillis).toBe(millis + 86_400_000)
}

const instant = fc.integer({ min: Date.UTC(0, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) })
const day = fc.integer({ min: 0, max: 2_900_000 }).map((days) => days * 86_400_000)

describe("decoded instants", () => {
  it("are made on the fast path: without effect's own cache slot until DateTime fills it", () => {
    const decoded = Effect.runSync(customerDecoder.decode(customerResponse.customer)).created_at
    // `DateTime.unsafeMake` defines the slot on every value, the costly part of making one.
    expect(Object.getOwnPropertyNames(decoded)).toStrictEqual(["epochMillis"])
    DateTime.toPartsUtc(decoded)
    expect(Object.getOwnPropertyNames(decoded)).toStrictEqual(["epochMillis", "partsUtc"])
  })

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
