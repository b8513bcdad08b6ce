/**
 * Annotations that give the compiled decoders of `Decoder` a straight path through a schema
 * node they would otherwise run through the Schema machinery (an `Either` per field).
 */

/** What a fast decode returns when it refuses: the Schema decoder then runs and explains. */
export const FAIL: unique symbol = Symbol.for("@lago-effect/core/Decoder/FAIL")

/**
 * On a declaration: a guard equivalent to its `decodeUnknown` (the value is kept as is).
 */
export const FastGuardId: unique symbol = Symbol.for("@lago-effect/core/Decoder/FastGuard")

/**
 * On a transformation: the whole decode from the `from` side's value to the final value
 * (transformation and `to` check together), or `FAIL`.
 */
export const FastDecodeId: unique symbol = Symbol.for("@lago-effect/core/Decoder/FastDecode")

/**
 * On a declaration with a `FastGuardId`: the same guard as JavaScript source, a boolean
 * expression of the variable named by its argument, which the compiled decoder writes in place.
 */
export const FastGuardCodeId: unique symbol = Symbol.for("@lago-effect/core/Decoder/FastGuardCode")
