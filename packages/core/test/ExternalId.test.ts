import { describe, expect, it } from "@effect/vitest"
import { ExternalId } from "@lago-effect/core"
import { Either, FastCheck, Schema } from "effect"

describe("ExternalId", () => {
  it.each(["", " ", "\t \n", "\u00a0", ".", "..", "\uD800", "a\uDC00b", "\uDBFFx"])("refuses %j", (id) => {
    expect(Either.isLeft(ExternalId.validate(id))).toBe(true)
    expect(Schema.is(ExternalId.ExternalId)(id)).toBe(false)
  })

  it.each(["acme", "acme.com", "...", ". ", " a", "a/b", "ü", "😀", "\uD83D\uDE00"])("accepts %j", (id) => {
    expect(ExternalId.validate(id)).toEqual(Either.right(id))
  })

  it.prop("accepts every other string", [FastCheck.string({ unit: "binary" })], ([id]) => {
    // A string is well-formed when percent-encoding it does not throw.
    const wellFormed = (() => {
      try {
        encodeURIComponent(id)
        return true
      } catch {
        return false
      }
    })()
    const expected = id.trim() !== "" && id !== "." && id !== ".." && wellFormed
    expect(Either.isRight(ExternalId.validate(id))).toBe(expected)
  }, { fastCheck: { numRuns: 1_000 }, timeout: 30_000 })
})
