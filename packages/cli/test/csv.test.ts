import { describe, expect, it } from "@effect/vitest"
import { Csv } from "@lago-effect/cli"
import { Customer } from "@lago-effect/core"
import { Builders } from "@lago-effect/testing"
import { Effect, FastCheck, Schema } from "effect"
import { parseCsv } from "./helpers.js"

const encode = Schema.encodeSync(Customer.Customer)

describe("Csv", () => {
  it("names the columns after Lago's customer, nested objects dotted, lists as one column", () => {
    const names = Csv.columns.map((column) => column.name)
    expect(names.slice(0, 3)).toEqual(["lago_id", "billing_entity_code", "external_id"])
    expect(names).toContain("billing_configuration.payment_provider")
    expect(names).toContain("shipping_address.city")
    expect(names).toContain("metadata")
    expect(names).toContain("integration_customers")
    expect(names.some((name) => name.startsWith("metadata."))).toBe(false)
    expect(new Set(names).size).toBe(names.length)
    expect(parseCsv(Csv.header)).toEqual([names])
  })

  it.each([
    ["plain", "plain"],
    ["a,b", "\"a,b\""],
    ["say \"hi\"", "\"say \"\"hi\"\"\""],
    ["two\nlines", "\"two\nlines\""],
    ["cr\rlf\r\n", "\"cr\rlf\r\n\""],
    ["", ""]
  ])("quotes %j as RFC 4180 says", (value, expected) => {
    expect(Csv.field(value)).toBe(expected)
  })

  it.each(["=1+2", "+33 6 12", "-cmd", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://evil\",\"x\")"])(
    "guards %j against spreadsheet formulas, and writes it as is when told",
    (value) => {
      const [[guarded]] = parseCsv(`${Csv.field(value)}\r\n`)
      expect(guarded).toBe(`'${value}`)
      const [[raw]] = parseCsv(`${Csv.field(value, { formulaGuard: false })}\r\n`)
      expect(raw).toBe(value)
    }
  )

  it("never guards numbers or booleans, writes null and absent as empty fields, objects as JSON", () => {
    expect(Csv.field(-5)).toBe("-5")
    expect(Csv.field(false)).toBe("false")
    expect(Csv.field(null)).toBe("")
    expect(Csv.field(undefined)).toBe("")
    expect(parseCsv(`${Csv.field([{ key: "a,b", value: "=x" }])}\r\n`)[0][0]).toBe(
      "[{\"key\":\"a,b\",\"value\":\"=x\"}]"
    )
  })

  it("writes a customer's row that reads back to its values", () => {
    const customer = encode(Builders.customer({
      external_id: "acme, \"inc\"",
      name: "=cmd|' /C calc'!A0",
      net_payment_term: 30,
      metadata: [
        Schema.decodeSync(Customer.CustomerMetadata)({
          lago_id: "m1",
          key: "tier",
          value: "gold\nplus",
          display_in_invoice: true,
          created_at: "2024-01-01T00:00:00Z"
        })
      ]
    }))
    const [record] = parseCsv(Csv.row(customer))
    const column = (name: string) => record[Csv.columns.findIndex((c) => c.name === name)]
    expect(record).toHaveLength(Csv.columns.length)
    expect(column("external_id")).toBe("acme, \"inc\"")
    expect(column("name")).toBe("'=cmd|' /C calc'!A0")
    expect(column("net_payment_term")).toBe("30")
    expect(column("email")).toBe(customer.email ?? "")
    expect(column("shipping_address.city")).toBe(customer.shipping_address.city ?? "")
    expect(JSON.parse(column("metadata"))).toEqual(customer.metadata)
  })

  it.effect("reads back any text field exactly (guard aside), whatever it holds", () =>
    Effect.sync(() =>
      FastCheck.assert(
        FastCheck.property(
          FastCheck.array(FastCheck.string({ unit: "binary", maxLength: 30 }), { minLength: 1, maxLength: 8 }),
          (values) => {
            const line = `${values.map((value) => Csv.field(value, { formulaGuard: false })).join(",")}\r\n`
            expect(parseCsv(line)).toEqual([values])
          }
        ),
        { numRuns: 500 }
      )
    ))
})
