import { Arbitrary, FastCheck, Schema } from "effect"

/** A JSON round trip, as the wire does it. */
export const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/**
 * Drops keys whose value is `undefined`, recursively, keeping the type: what "absent"
 * means on the wire. Only for schemas without transformations (inputs).
 */
export const withoutUndefined = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownSync(Schema.typeSchema(schema))
  return (value: A): A => decode(throughJson(value))
}

/** Every path in a value that holds `undefined`. */
export const undefinedPaths = (value: unknown, path = "$"): Array<string> => {
  if (value === undefined) return [path]
  if (Array.isArray(value)) return value.flatMap((item, i) => undefinedPaths(item, `${path}[${i}]`))
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => undefinedPaths(item, `${path}.${key}`))
  }
  return []
}

/**
 * Encode, send through JSON, decode: the result must equal the original value (after
 * `normalize`, for inputs whose `undefined` keys are not sent).
 */
export const assertRoundTrip = <A, I>(
  schema: Schema.Schema<A, I>,
  options: { readonly normalize?: (a: A) => A; readonly numRuns?: number } = {}
) => {
  const equivalence = Schema.equivalence(schema)
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownSync(schema)
  FastCheck.assert(
    FastCheck.property(Arbitrary.make(schema), (value) => {
      const encoded = encode(value)
      if (undefinedPaths(encoded).length > 0) return false
      const decoded = decode(throughJson(encoded))
      return equivalence(options.normalize ? options.normalize(value) : value, decoded)
    }),
    { numRuns: options.numRuns ?? 100 }
  )
}
