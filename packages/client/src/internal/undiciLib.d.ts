/**
 * The two files of the `undici` package that `LagoHttpClient.layerUndici` loads on their own
 * (`undiciAgent.ts`). Undici declares its entry point only, and these paths are not part of its
 * documented API: what they hold is unknown until checked.
 */
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: unknown
  export = Agent
}

declare module "undici/lib/api/api-request.js" {
  const request: unknown
  export = request
}
