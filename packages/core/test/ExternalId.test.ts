import { describe, expect, it } from "@effect/vitest"
import { ExternalId } from "@lago-effect/core"
import { Either, FastCheck, Schema } from "effect"

describe("ExternalId", () => {
  it.each(["", ".", ".."])("refuses %j", (id) => {
    expect(Either.isLeft(ExternalId.validate(id))).toBe(true)
    expect(Schema.is(ExternalId.ExternalId)(id)).toBe(false)
  })

  it.each(["acme", "acme.com", "...", ". ", "a/b", "ü", " "])("accepts %j", (id) => {
    expect(ExternalId.validate(id)).toEqual(Either.right(id))
  })

  it.prop("accepts every other string", [FastCheck.string()], ([id]) => {
    const expected = id !== "" && id !== "." && id !== ".."
    expect(Either.isRight(ExternalId.validate(id))).toBe(expected)
  })
})
