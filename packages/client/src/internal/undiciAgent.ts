/**
 * The undici `Agent` behind `LagoHttpClient.layerUndici`, loaded without the rest of the
 * package when it can be.
 *
 * Why: undici's entry point loads everything the package offers (its own `fetch`, WebSocket,
 * caches, mocks, proxies, interceptors). On Node 20, loading it and sending a first request took
 * 125-135 ms of CPU and 5-8 MiB more resident memory than loading two of its files, 45-50 ms, in
 * a process that then lists 20,000 customers in about a second. `layerUndici` uses an `Agent` and
 * the `request` API, which are those two files (the entry point exports the first as `Agent` and
 * gives every dispatcher the second as its `request`). Their paths are not undici's documented
 * API, so what they hold is checked, and the entry point is loaded instead whenever they are
 * missing, hold something else or fail: a later undici can make the layer load more, never fail.
 */
import type { Agent, Dispatcher } from "undici"
import type { UndiciDispatcher } from "../LagoHttpClient.js"

/** An undici `Agent` as `makeUndici` sends through it, destroyed with the layer. */
export interface UndiciAgent extends UndiciDispatcher {
  destroy(): Promise<void>
}

/** Where the agent comes from: the two files alone (`lean`), or undici's entry point (`whole`). */
export interface Importers {
  readonly lean: () => Promise<readonly [agentModule: unknown, requestModule: unknown]>
  readonly whole: () => Promise<unknown>
}

/** The package's modules as Node and bundlers load them (a CommonJS module's `default` is its `module.exports`). */
export const importers: Importers = {
  lean: () => Promise.all([import("undici/lib/dispatcher/agent.js"), import("undici/lib/api/api-request.js")]),
  whole: () => import("undici")
}

type AgentClass = new() => Agent

type RequestFunction = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>

/** `value[key]` when `value` is an object that has it. */
const propertyOf = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? Reflect.get(value, key) : undefined

// As far as JavaScript can tell before calling: a function each (undici's own `index.js` takes
// them on the same terms).
const isAgentClass = (value: unknown): value is AgentClass => typeof value === "function"

const isRequestFunction = (value: unknown): value is RequestFunction => typeof value === "function"

/** An agent from the two files, sending with their `request`; undefined when they hold something else. */
const fromFiles = ([agentModule, requestModule]: readonly [unknown, unknown]): UndiciAgent | undefined => {
  const Agent = propertyOf(agentModule, "default")
  const request = propertyOf(requestModule, "default")
  if (!isAgentClass(Agent) || !isRequestFunction(request)) return undefined
  const agent = new Agent()
  if (typeof agent.destroy !== "function" || typeof agent.dispatch !== "function") return undefined
  return { request: request.bind(agent), destroy: () => agent.destroy() }
}

/** An agent from the entry point; undefined when it has no `Agent`. */
const fromEntryPoint = (module: unknown): UndiciAgent | undefined => {
  const Agent = propertyOf(propertyOf(module, "default"), "Agent")
  return isAgentClass(Agent) ? new Agent() : undefined
}

/**
 * Loads an undici `Agent`: from its two files when they hold what they should, else from the
 * entry point. Rejects when neither can be loaded (undici is not installed).
 */
export const load = (from: Importers = importers): Promise<UndiciAgent> =>
  from.lean().then(fromFiles).catch(() => undefined).then((lean) =>
    lean ?? from.whole().then((module) => fromEntryPoint(module) ?? Promise.reject(new Error("undici has no Agent")))
  )
