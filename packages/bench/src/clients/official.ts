/**
 * lago-javascript-client, Lago's official client (generated; validates nothing), with its own
 * retry of 429s turned on (`rateLimitRetry`), as a caller of a rate-limited API would.
 */
import { Client } from "lago-javascript-client"
import { type BenchClient, KEY, pool } from "./Client.js"

export const make = (url: string): BenchClient => {
  const lago = Client(KEY, { baseUrl: url, rateLimitRetry: { maxRetries: 10 } })
  return {
    list: async (options) => {
      const perPage = options?.per_page ?? 100
      let page: number | null | undefined = 1
      let count = 0
      while (page !== null && page !== undefined) {
        const response: Awaited<ReturnType<typeof lago.customers.findAllCustomers>> = await lago.customers
          .findAllCustomers({ page, per_page: perPage })
        count += response.data.customers.length
        page = response.data.meta.next_page
      }
      return count
    },
    finds: (ids, concurrency) => pool(ids.length, concurrency, (i) => lago.customers.findCustomer(ids[i])),
    close: async () => {}
  }
}
