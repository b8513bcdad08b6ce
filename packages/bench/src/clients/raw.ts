/** The floor: global fetch and JSON.parse, no validation, no retries, no time-outs. */
import { type BenchClient, KEY, pool } from "./Client.js"

const headers = { authorization: `Bearer ${KEY}`, accept: "application/json" }

export const make = (url: string): BenchClient => ({
  list: async (options) => {
    const perPage = options?.per_page ?? 100
    let page: number | null = 1
    let count = 0
    while (page !== null) {
      const response = await fetch(`${url}/customers?page=${page}&per_page=${perPage}`, { headers })
      const body: { customers: Array<unknown>; meta: { next_page: number | null } } = JSON.parse(await response.text())
      count += body.customers.length
      page = body.meta.next_page
    }
    return count
  },
  finds: (ids, concurrency) =>
    pool(ids.length, concurrency, async (i) => {
      const response = await fetch(`${url}/customers/${ids[i]}`, { headers })
      const body: { customer: unknown } = JSON.parse(await response.text())
      return body.customer
    }),
  close: async () => {}
})
