/**
 * Building blocks shared by the model modules: open enums, wire timestamps, dates and
 * decimals that encode back to exactly the bytes Lago sent, and input keys that are
 * omitted (never `undefined`) when the caller did not set them.
 */
import type { FastCheck } from "effect"
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { FAIL, FastDecodeId, FastGuardCodeId, FastGuardId } from "./fast.js"
import { makeUtc } from "./utc.js"

/**
 * An open enum: the known literals for autocompletion and exhaustive handling of what we
 * know, plus any other string, because Lago grows its enums faster than its spec does.
 */
export interface OpenEnum<Literals extends ReadonlyArray<string>>
  extends Schema.Schema<Literals[number] | (string & {})>
{
  /** The values known today, for code that lists or checks them (forms, fakes, validation). */
  readonly literals: Literals
  /** Whether a value is one of the known literals. */
  readonly isKnown: (value: string) => value is Literals[number]
}

/**
 * What an open enum generates: its literals, or any string. Built here rather than by
 * `effect/Arbitrary`, which would bring fast-check into every bundle of the client.
 */
const openEnumArbitrary =
  <Literals extends ReadonlyArray<string>>(literals: Literals) =>
  (fc: typeof FastCheck): FastCheck.Arbitrary<Literals[number] | (string & {})> =>
    fc.oneof(fc.constantFrom(...literals), fc.string())

/**
 * Makes an open enum. At run time it is a string check (a union with the literals would only
 * cost decode time); generated values favour the known literals.
 */
export const OpenEnum = <const Literals extends ReadonlyArray<string>>(...literals: Literals): OpenEnum<Literals> => {
  const known: ReadonlySet<string> = new Set(literals)
  const schema = Schema.make<Literals[number] | (string & {})>(SchemaAST.stringKeyword).annotations({
    description: `one of ${literals.join(", ")}, or any other string`,
    arbitrary: () => openEnumArbitrary(literals)
  })
  return Object.assign(schema, {
    literals,
    isKnown: (value: string): value is Literals[number] => known.has(value)
  })
}

/** An open enum that may also be `null`, decoded with one guard. */
export const NullableOpenEnum = <Literals extends ReadonlyArray<string>>(
  openEnum: OpenEnum<Literals>
): Schema.Schema<Literals[number] | (string & {}) | null> =>
  Schema.declare((u: unknown): u is Literals[number] | (string & {}) | null => u === null || typeof u === "string", {
    [FastGuardId]: (u: unknown) => u === null || typeof u === "string",
    [FastGuardCodeId]: (v: string) => `${v} === null || typeof ${v} === "string"`,
    description: `${openEnum.ast.annotations[SchemaAST.DescriptionAnnotationId] ?? "a string"}, or null`,
    arbitrary: () => (fc) => fc.option(openEnumArbitrary(openEnum.literals)(fc), { nil: null }),
    jsonSchema: { type: ["string", "null"] }
  })

/** A schema that also accepts `null`: Lago emits null for unset values. */
export const Nullable = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.NullOr(schema)

// The customer object has thirty-odd nullable scalars. A `NullOr` union costs a third more to
// decode than one guard, so the scalar cases are single declarations with the same behaviour.
const nullableScalar = <A>(
  identifier: string,
  guard: (u: unknown) => u is A,
  guardCode: (v: string) => string,
  arbitrary: (fc: typeof FastCheck) => FastCheck.Arbitrary<A>,
  jsonType: "string" | "integer" | "boolean"
): Schema.Schema<A | null> =>
  Schema.declare((u: unknown): u is A | null => u === null || guard(u), {
    [FastGuardId]: (u: unknown) => u === null || guard(u),
    [FastGuardCodeId]: (v: string) => `${v} === null || ${guardCode(v)}`,
    identifier,
    description: `a ${jsonType} or null`,
    arbitrary: () => (fc) => fc.option(arbitrary(fc), { nil: null }),
    jsonSchema: { type: [jsonType, "null"] }
  })

/** `string | null`. */
export const NullableString: Schema.Schema<string | null> = nullableScalar(
  "NullableString",
  (u): u is string => typeof u === "string",
  (v) => `typeof ${v} === "string"`,
  (fc) => fc.string(),
  "string"
)

/** A safe integer or `null`. */
export const NullableInt: Schema.Schema<number | null> = nullableScalar(
  "NullableInt",
  (u): u is number => Number.isSafeInteger(u),
  (v) => `Number.isSafeInteger(${v})`,
  (fc) => fc.integer(),
  "integer"
)

/** `boolean | null`. */
export const NullableBoolean: Schema.Schema<boolean | null> = nullableScalar(
  "NullableBoolean",
  (u): u is boolean => typeof u === "boolean",
  (v) => `typeof ${v} === "boolean"`,
  (fc) => fc.boolean(),
  "boolean"
)

/** A key Lago may leave out of a response. Absent stays absent when encoding. */
export const optionalKey = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optionalWith(schema, { exact: true })

/**
 * A key of an input. Callers may set it to `undefined`, which means the same as leaving
 * it out: the key is not sent and Lago leaves the field untouched. `null` is sent and
 * clears the field.
 */
export const inputKey = <A, I, R>(schema: Schema.Schema<A, I, R>) =>
  Schema.optionalToOptional(schema, Schema.UndefinedOr(Schema.typeSchema(schema)), {
    decode: (value) => value,
    encode: Option.filter((value): value is A => value !== undefined)
  })

// Lago writes `Time#iso8601`, second precision: keep that form when the value has no milliseconds.
const formatTimestamp = (value: DateTime.Utc): string => {
  const iso = DateTime.formatIso(value)
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso
}

const timestampArbitrary = () => (fc: typeof FastCheck) =>
  fc.date({ min: new Date("1970-01-01T00:00:00.000Z"), max: new Date("2200-01-01T00:00:00.000Z"), noInvalidDate: true })
    .map((date) => DateTime.unsafeFromDate(date))

/**
 * The two-digit number at `at` (0 to 99), or -1 when either character is not a digit (past the
 * end, `charCodeAt` is `NaN`, which no comparison accepts).
 */
const twoDigits = (text: string, at: number) => {
  const tens = text.charCodeAt(at) - 48
  const ones = text.charCodeAt(at + 1) - 48
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1
}

const daysInMonth = (year: number, month: number) =>
  month === 2
    ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28)
    : month === 4 || month === 6 || month === 9 || month === 11
    ? 30
    : 31

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
const daysFromCivil = (year: number, month: number, day: number) => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/**
 * The epoch milliseconds of an ISO 8601 date-time with seconds and an offset (`Z` or
 * `±HH:MM`), up to nine fractional digits (milliseconds kept, the rest truncated, as
 * `Date.parse` does); `NaN` for anything else. `Date.parse` alone would read `"1"`,
 * `"March 7, 2024"` or a date without offset (in the machine's time zone), and roll
 * `2024-02-30` over to March 1. Parsed by hand, each character read once: on the hottest path
 * of every decode (four instants in a populated customer).
 */
export const parseIsoDateTime = (text: string): number => {
  const length = text.length
  if (length < 20 || length > 35) return Number.NaN
  const t = text.charCodeAt(10)
  if (
    text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (t !== 84 && t !== 116) ||
    text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58
  ) return Number.NaN
  const century = twoDigits(text, 0)
  const yearOfCentury = twoDigits(text, 2)
  const month = twoDigits(text, 5)
  const day = twoDigits(text, 8)
  const hour = twoDigits(text, 11)
  const minute = twoDigits(text, 14)
  const second = twoDigits(text, 17)
  if (
    century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
    minute > 59 || second < 0 || second > 59
  ) return Number.NaN
  const year = century * 100 + yearOfCentury
  if (day > daysInMonth(year, month)) return Number.NaN
  let at = 19
  let millis = 0
  let zone = text.charCodeAt(at)
  if (zone === 46) {
    const from = ++at
    let code = text.charCodeAt(at)
    while (code >= 48 && code <= 57) {
      if (at - from < 3) millis = millis * 10 + code - 48
      code = text.charCodeAt(++at)
    }
    const digits = at - from
    if (digits < 1 || digits > 9) return Number.NaN
    if (digits === 1) millis *= 100
    else if (digits === 2) millis *= 10
    zone = code
  }
  let offsetMinutes = 0
  if (zone === 90 || zone === 122) {
    if (at + 1 !== length) return Number.NaN
  } else if (zone === 43 || zone === 45) {
    if (at + 6 !== length || text.charCodeAt(at + 3) !== 58) return Number.NaN
    const hours = twoDigits(text, at + 1)
    const minutes = twoDigits(text, at + 4)
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN
    offsetMinutes = (zone === 45 ? -1 : 1) * (hours * 60 + minutes)
  } else {
    return Number.NaN
  }
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    millis
}

/**
 * A timestamp's value, or `undefined`. (A cache of recent values by text was tried: hashing
 * every string costs more than the hits save, since most timestamps are distinct.)
 */
const decodeTimestamp = (input: string): DateTime.Utc | undefined => {
  const millis = parseIsoDateTime(input)
  if (Number.isNaN(millis)) return undefined
  return makeUtc(millis)
}

/** An ISO 8601 date-time string (`2022-04-29T08:59:51Z`) as a `DateTime.Utc`. */
export const Timestamp: Schema.Schema<DateTime.Utc, string> = Schema.transformOrFail(
  Schema.String,
  Schema.DateTimeUtcFromSelf.annotations({ arbitrary: timestampArbitrary }),
  {
    strict: true,
    decode: (input, _, ast) => {
      const value = decodeTimestamp(input)
      return value === undefined
        ? ParseResult.fail(
          new ParseResult.Type(ast, input, `Expected an ISO 8601 date-time with an offset, got ${input}`)
        )
        : ParseResult.succeed(value)
    },
    encode: (value) => ParseResult.succeed(formatTimestamp(value))
  }
).annotations({
  identifier: "Timestamp",
  [FastDecodeId]: (input: unknown) => (typeof input === "string" ? decodeTimestamp(input) : undefined) ?? FAIL
})

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

const dateArbitrary = () => (fc: typeof FastCheck) =>
  fc.integer({ min: 0, max: 2_000_000 }).map((days) => DateTime.unsafeMake(days * 86_400_000))

/** A calendar date (`2022-07-31`) as a `DateTime.Utc` at midnight UTC. */
export const IsoDate: Schema.Schema<DateTime.Utc, string> = Schema.transformOrFail(
  Schema.String,
  Schema.DateTimeUtcFromSelf.annotations({ arbitrary: dateArbitrary }),
  {
    strict: true,
    decode: (input, _, ast) => {
      const match = isoDatePattern.exec(input)
      const value = match === null ? Option.none() : DateTime.make(`${input}T00:00:00Z`)
      return Option.match(value, {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, input, `Expected a date (YYYY-MM-DD), got ${input}`)),
        onSome: (date) =>
          DateTime.formatIsoDateUtc(date) === input
            ? ParseResult.succeed(DateTime.toUtc(date))
            : ParseResult.fail(new ParseResult.Type(ast, input, `Expected a valid calendar date, got ${input}`))
      })
    },
    encode: (value) => ParseResult.succeed(DateTime.formatIsoDateUtc(DateTime.startOf(value, "day")))
  }
).annotations({
  identifier: "IsoDate",
  [FastDecodeId]: (input: unknown) => {
    if (typeof input !== "string" || !isoDatePattern.test(input)) return FAIL
    const millis = Date.parse(`${input}T00:00:00Z`)
    // A date that rolls over (2024-02-30) does not format back to itself.
    return Number.isNaN(millis) || new Date(millis).toISOString().slice(0, 10) !== input
      ? FAIL
      : makeUtc(millis)
  }
})

// Writes the digits with exactly `scale` decimals, so "4.0" encodes back to "4.0" (not "4").
const formatDecimal = (value: BigDecimal.BigDecimal): string => {
  if (value.scale <= 0) return (value.value * 10n ** BigInt(-value.scale)).toString()
  const negative = value.value < 0n
  const digits = (negative ? -value.value : value.value).toString().padStart(value.scale + 1, "0")
  const integer = digits.slice(0, digits.length - value.scale)
  const fraction = digits.slice(digits.length - value.scale)
  return `${negative ? "-" : ""}${integer}.${fraction}`
}

const decimalArbitrary = () => (fc: typeof FastCheck) =>
  fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
    .map(([value, scale]) => BigDecimal.make(value, scale))

/**
 * A decimal string (`"4.0"`, `"12.50000"`) as a `BigDecimal`, so no float ever touches
 * quantities or money. The scale is kept, so encoding gives back the wire string.
 */
export const DecimalString: Schema.Schema<BigDecimal.BigDecimal, string> = Schema.transformOrFail(
  Schema.String,
  Schema.BigDecimalFromSelf.annotations({ arbitrary: decimalArbitrary }),
  {
    strict: true,
    decode: (input, _, ast) =>
      Option.match(BigDecimal.fromString(input), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, input, `Expected a decimal string, got ${input}`)),
        onSome: ParseResult.succeed
      }),
    encode: (value) => ParseResult.succeed(formatDecimal(value))
  }
).annotations({
  identifier: "DecimalString",
  [FastDecodeId]: (input: unknown) => {
    const decimal = typeof input === "string" ? BigDecimal.fromString(input) : Option.none()
    return Option.isSome(decimal) ? decimal.value : FAIL
  }
})

/** Any JSON value: what `error_details` and `ErrorDetail.details` may hold. */
export const Json: Schema.Schema<unknown> = Schema.Unknown.annotations({
  identifier: "Json",
  arbitrary: () => (fc) => fc.jsonValue({ maxDepth: 2 }),
  // Decoded JSON is a fresh object graph: compare by structure, not by reference.
  equivalence: () => (a, b) => JSON.stringify(a) === JSON.stringify(b)
})

// Schema builds decoded records by assignment, where a "__proto__" key would set the
// prototype instead of a property: such a key is dropped, so the generators leave it out.
const RecordKey = Schema.String.annotations({
  arbitrary: () => (fc) => fc.string().filter((key) => key !== "__proto__")
})

/** A JSON object with string keys, e.g. `{"cloud": ["aws"]}`. */
export const StringRecord = <A, I, R>(value: Schema.Schema<A, I, R>) => Schema.Record({ key: RecordKey, value })
