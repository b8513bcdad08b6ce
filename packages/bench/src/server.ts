/**
 * A Lago-shaped server for the benchmarks, run in its own process so that its work is not
 * counted as the client's: `GET /api/v1/customers` (pages of populated customers) and
 * `GET /api/v1/customers/{id}`, with an optional latency per response and an optional Lago
 * Cloud-like rate limit (requests per second, `X-RateLimit-*` headers, 429 past it).
 *
 *   node server.mjs --customers 20000 --latency 20 --rate-limit 50
 *
 * Prints `READY <port>` once listening.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { customerJson, pageJson } from "./data.js"

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1])
const total = Number(args.get("customers") ?? 20_000)
const latency = Number(args.get("latency") ?? 0)
const rateLimit = Number(args.get("rate-limit") ?? 0)

let windowStart = Date.now()
let windowCount = 0

/** A fixed one-second window, as Lago Cloud's documented limit counts requests per second. */
const countRequest = () => {
  const now = Date.now()
  if (now - windowStart >= 1000) {
    windowStart = now - ((now - windowStart) % 1000)
    windowCount = 0
  }
  windowCount++
  const headers = {
    "x-ratelimit-limit": String(rateLimit),
    "x-ratelimit-remaining": String(Math.max(0, rateLimit - windowCount)),
    "x-ratelimit-reset": String(Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000)))
  }
  return { headers, exceeded: windowCount > rateLimit }
}

let served = 0
let limited = 0
// The most requests seen in any one-second window (sliding, at a millisecond grain).
let peakPerSecond = 0
const recent: Array<number> = []

const countPeak = () => {
  const now = performance.now()
  recent.push(now)
  while (recent.length > 0 && recent[0] <= now - 1000) recent.shift()
  peakPerSecond = Math.max(peakPerSecond, recent.length)
}

const answer = (request: Http.IncomingMessage, response: Http.ServerResponse) => {
  const url = new URL(request.url ?? "/", "http://lago.bench")
  if (url.pathname.startsWith("/stats")) {
    const body = JSON.stringify({ requests: served, limited, peakPerSecond })
    if (url.pathname === "/stats/reset") {
      served = 0
      limited = 0
      peakPerSecond = 0
      recent.length = 0
    }
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    return response.end(body)
  }
  countPeak()
  const rate = rateLimit > 0 ? countRequest() : { headers: {}, exceeded: false }
  const send = (status: number, body: string) => {
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      "x-request-id": String(request.headers["x-request-id"] ?? `bench-${served}`),
      ...rate.headers
    })
    response.end(body)
  }
  served++
  if (rate.exceeded) {
    limited++
    return send(429, "{\"status\":429,\"error\":\"Too Many Requests\"}")
  }
  if (url.pathname === "/api/v1/customers") {
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1))
    const perPage = Math.max(1, Number(url.searchParams.get("per_page") ?? 100))
    return send(200, pageJson(page, perPage, total))
  }
  const match = /^\/api\/v1\/customers\/customer_(\d+)$/.exec(url.pathname)
  if (match !== null) return send(200, `{"customer":${customerJson(Number(match[1]))}}`)
  send(404, "{\"status\":404,\"error\":\"Not Found\",\"code\":\"resource_not_found\"}")
}

const server = Http.createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    if (latency > 0) setTimeout(() => answer(request, response), latency)
    else answer(request, response)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const address: AddressInfo | string | null = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  process.stdout.write(`READY ${port}\n`)
})
