/**
 * The floor: global fetch and JSON.parse, no validation, no time-outs; a 429 is waited out
 * (`X-RateLimit-Reset`) and retried, the least a caller of a rate-limited API must do.
 */
import { type BenchClient, KEY, pool } from "./Client.js"

const headers = { authorization: `Bearer ${KEY}`, accept: "application/json" }

const get = async (url: string): Promise<string> => {
  for (;;) {
    const response = await fetch(url, { headers })
    const text = await response.text()
    if (response.status !== 429) return text
    const reset = Number(response.headers.get("x-ratelimit-reset") ?? 1)
    await new Promise((resolve) => setTimeout(resolve, reset * 1000))
  }
}

export const make = (url: string): BenchClient => ({
  list: async (options) => {
    const perPage = options?.per_page ?? 100
    let page: number | null = 1
    let count = 0
    while (page !== null) {
      const body: { customers: Array<unknown>; meta: { next_page: number | null } } = JSON.parse(
        await get(`${url}/customers?page=${page}&per_page=${perPage}`)
      )
      count += body.customers.length
      page = body.meta.next_page
    }
    return count
  },
  finds: (ids, concurrency) =>
    pool(ids.length, concurrency, async (i) => {
      const body: { customer: unknown } = JSON.parse(await get(`${url}/customers/${ids[i]}`))
      return body.customer
    }),
  close: async () => {}
})
