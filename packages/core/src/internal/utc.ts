/**
 * `DateTime.Utc` values made straight from epoch milliseconds, for the decoders' hot path.
 *
 * `DateTime.unsafeMake(millis)` accepts any input: it checks what it was given, builds a `Date`
 * and reads it back before it makes the value, which is most of the cost of decoding a
 * timestamp (a populated customer has several). The value itself is a plain object on
 * DateTime's prototype with `epochMillis` and a non-enumerable `partsUtc` cache; this module
 * makes that same object directly. Whether it is the same is checked once, at load, against
 * one made by `DateTime.unsafeMake`: if a release of effect lays it out differently, every
 * value is made by `DateTime.unsafeMake` again.
 */
import * as DateTime from "effect/DateTime"

const prototype: object | null = Object.getPrototypeOf(DateTime.unsafeMake(0))

// Shared by every value: the cache slot DateTime fills in on first use of the parts.
const partsSlot: PropertyDescriptor = { value: undefined, enumerable: false, writable: true }

// `Object.create` is typed as returning `any`; the check below holds the result to the shape
// of a real `DateTime.Utc`, so the declared type is checked, not assumed, before it is used.
const create: (prototype: object | null) => { epochMillis: number } & DateTime.Utc = Object.create

const direct = (epochMillis: number): DateTime.Utc => {
  const self = create(prototype)
  self.epochMillis = epochMillis
  Object.defineProperty(self, "partsUtc", partsSlot)
  return self
}

// Keys by name (symbols included, which JSON leaves out), then each descriptor.
const describe = (value: object) =>
  JSON.stringify([
    Object.getPrototypeOf(value) === prototype,
    Reflect.ownKeys(value).map(String),
    Object.getOwnPropertyDescriptors(value)
  ])

/** Whether `direct` makes what `DateTime.unsafeMake` makes, property for property. */
const sameShape = (): boolean => {
  try {
    const millis = 1_700_000_000_123
    return describe(direct(millis)) === describe(DateTime.unsafeMake(millis))
  } catch {
    return false
  }
}

/** A `DateTime.Utc` at `epochMillis` (milliseconds since the epoch, within the range of a `Date`). */
export const makeUtc: (epochMillis: number) => DateTime.Utc = sameShape() ? direct : DateTime.unsafeMake
