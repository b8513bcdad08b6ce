/**
 * Decode micro-benchmark: customers per second when decoding a 100-customer page.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   pnpm bench:decode
 */
import { CustomersPage, Decoder } from "@lago-effect/core"
import { Effect, Schema } from "effect"
import { customerResponse, customersPageResponse } from "../test/fixtures.js"

const PAGE_SIZE = 100
const { applicable_invoice_custom_sections: _, error_details: __, ...populated } = customerResponse.customer

// Pages as GET /customers sends them, every item distinct: list items have no custom
// sections and no error details.
const makePage = (item: object) => ({
  customers: Array.from({ length: PAGE_SIZE }, (_, i) => ({
    ...item,
    lago_id: `1a901a90-1a90-1a90-1a90-${String(i).padStart(12, "0")}`,
    external_id: `cust_${i}`,
    sequential_id: i + 1,
    slug: `LAG-1234-${String(i + 1).padStart(3, "0")}`
  })),
  meta: { ...customersPageResponse.meta, total_count: 7000, total_pages: 70 }
})

const pages = {
  // The first item of Lago's documented list example (no metadata, taxes or integrations).
  "list items of Lago's documented example": makePage(customersPageResponse.customers[0]),
  // Lago's documented customer less what lists leave out: one metadata pair, one tax and one integration each.
  "populated items (1 metadata pair, 1 tax, 1 integration each)": makePage(populated)
}

const decode = Schema.decodeUnknownSync(CustomersPage.CustomersPage)
const decodeJson = Schema.decodeSync(Schema.parseJson(CustomersPage.CustomersPage))
// The decoder the client uses: generated once from the same schema.
const decoder = Decoder.make(CustomersPage.CustomersPage)

const format = (n: number) => Math.round(n).toLocaleString("en-US")

/** Runs `run` (one page) for 5 rounds of a second each; prints the median rate. */
const measure = (label: string, run: () => unknown) => {
  for (let i = 0; i < 200; i++) run() // warm up the JIT
  const rates: Array<number> = []
  for (let round = 0; round < 5; round++) {
    let count = 0
    const start = performance.now()
    while (performance.now() - start < 1000) {
      run()
      count++
    }
    rates.push((count * PAGE_SIZE) / ((performance.now() - start) / 1000))
  }
  rates.sort((a, b) => a - b)
  const median = rates[2]
  console.log(
    `  ${label.padEnd(32)} ${format(median).padStart(9)} customers/s  ${(1e6 / median).toFixed(2)} µs each` +
      `  (min ${format(rates[0])}, max ${format(rates[4])})`
  )
}

console.log(`node ${process.version}, effect Schema, ${PAGE_SIZE}-customer pages`)
for (const [name, page] of Object.entries(pages)) {
  const body = JSON.stringify(page)
  console.log(`\n${name}: ${(body.length / 1024).toFixed(1)} KiB of JSON a page`)
  measure("JSON.parse only", () => JSON.parse(body))
  measure("Schema decode of parsed JSON", () => decode(page))
  measure("JSON.parse + Schema decode", () => decode(JSON.parse(body)))
  measure("Schema.parseJson decode", () => decodeJson(body))
  measure("Decoder.decode of parsed JSON", () => Effect.runSync(decoder.decode(page)))
  measure("Decoder.decodeText", () => Effect.runSync(decoder.decodeText(body)))
}

// Why the models are Schema.Struct: the same 30 nullable fields as a Struct and as a Class.
const fields = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`field_${i}`, Schema.NullOr(Schema.String)] as const)
)
class ThirtyFields extends Schema.Class<ThirtyFields>("ThirtyFields")(fields) {}
const items = Array.from(
  { length: PAGE_SIZE },
  (_, i) => Object.fromEntries(Object.keys(fields).map((k) => [k, `v${i}`]))
)
const decodeStructs = Schema.decodeUnknownSync(Schema.Array(Schema.Struct(fields)))
const decodeClasses = Schema.decodeUnknownSync(Schema.Array(ThirtyFields))
console.log("\nStruct vs Class: 100 items of 30 nullable strings")
measure("Schema.Struct", () => decodeStructs(items))
measure("Schema.Class", () => decodeClasses(items))
