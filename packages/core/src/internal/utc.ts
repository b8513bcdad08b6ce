/**
 * `DateTime.Utc` values made straight from epoch milliseconds, for the decoders' hot path.
 *
 * `DateTime.unsafeMake(millis)` accepts any input: it checks what it was given, builds a `Date`
 * and reads it back before it makes the value. The value itself is an object on DateTime's
 * prototype with `epochMillis` and a non-enumerable `partsUtc` cache, which effect defines with
 * `Object.defineProperty` on every value: a call into V8's runtime that costs ten times the rest
 * of the object (about 300 ns; a populated customer carries four instants, and this was 40% of
 * decoding one).
 *
 * The values made here have what effect's have where it can be seen (every DateTime function,
 * `Equal`, `Hash`, JSON, inspection, the own enumerable properties `toEqual` compares) but one
 * more prototype between them and DateTime's: it holds the cache slot as an accessor that reads
 * `undefined` until DateTime first writes the parts, and then defines on the value the own
 * non-enumerable property effect's values carry from the start. What differs is only what
 * reflection shows before that first write (`Object.getPrototypeOf`, `Object.getOwnPropertyNames`).
 * That they agree is checked once, at load, against values made by `DateTime.unsafeMake`: if a
 * release of effect lays its values out otherwise, every value is made by `DateTime.unsafeMake`.
 */
import * as DateTime from "effect/DateTime"
import * as Equal from "effect/Equal"

const utcPrototype: object | null = Object.getPrototypeOf(DateTime.unsafeMake(0))

/** The slot effect gives `partsUtc`: a writable, non-enumerable data property. */
const cacheSlot = (value: unknown): PropertyDescriptor => ({ value, enumerable: false, writable: true })

const fastPrototype: object = Object.create(utcPrototype, {
  partsUtc: {
    get: () => undefined,
    // DateTime's first write of the parts (`self.partsUtc = parts`) lands here.
    set(this: object, parts: unknown) {
      Object.defineProperty(this, "partsUtc", cacheSlot(parts))
    },
    enumerable: false
  }
})

// `Object.create` is typed as returning `any`; the check below holds the result to the
// behaviour of a real `DateTime.Utc`, so the declared type is checked, not assumed, before use.
const create: (prototype: object) => { epochMillis: number } & DateTime.Utc = Object.create

const direct = (epochMillis: number): DateTime.Utc => {
  const self = create(fastPrototype)
  self.epochMillis = epochMillis
  return self
}

// Own keys by name (symbols included, which JSON leaves out), then each descriptor.
const ownProperties = (value: object) =>
  JSON.stringify([Reflect.ownKeys(value).map(String), Object.getOwnPropertyDescriptors(value)])

/**
 * Whether `direct` makes what `DateTime.unsafeMake` makes, as far as anything but reflection
 * can tell: effect's value is laid out as this module expects (its own `epochMillis`, its
 * `partsUtc` slot empty), both have the same enumerable properties and are `Equal`, and once
 * DateTime has cached the parts on both, their own properties are the same, descriptor for
 * descriptor.
 */
const sameBehaviour = (): boolean => {
  try {
    const millis = 1_700_000_000_123
    const ours = direct(millis)
    const effects = DateTime.unsafeMake(millis)
    const slot = Object.getOwnPropertyDescriptor(effects, "partsUtc")
    const expectedLayout = Reflect.ownKeys(effects).join() === "epochMillis,partsUtc" && slot !== undefined &&
      slot.value === undefined && slot.writable === true && !slot.enumerable
    const sameBefore = Object.keys(ours).join() === Object.keys(effects).join() && Equal.equals(ours, effects) &&
      DateTime.isUtc(ours) && Reflect.get(ours, "partsUtc") === undefined
    DateTime.toPartsUtc(ours)
    DateTime.toPartsUtc(effects)
    return expectedLayout && sameBefore && ownProperties(ours) === ownProperties(effects)
  } catch {
    return false
  }
}

/** A `DateTime.Utc` at `epochMillis` (milliseconds since the epoch, within the range of a `Date`). */
export const makeUtc: (epochMillis: number) => DateTime.Utc = sameBehaviour() ? direct : DateTime.unsafeMake
