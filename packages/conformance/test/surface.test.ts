/**
 * The public surface of each package, name by name: one spelling per concept, each name once.
 * A name added or removed here is a decision, not an accident.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Client from "@lago-effect/client"
import * as Core from "@lago-effect/core"
import * as Testing from "@lago-effect/testing"
import * as Node from "@lago-effect/testing/node"

const surface = (module: object) =>
  Object.fromEntries(
    Object.entries(module).map(([name, value]) => [
      name,
      typeof value === "object" && value !== null ? Object.keys(value).sort() : typeof value
    ])
  )

describe("public surface", () => {
  it("@lago-effect/core: models and errors, as namespaces", () => {
    expect(Object.keys(Core).sort()).toEqual([
      "AppliedCoupon",
      "CheckoutUrl",
      "Customer",
      "CustomerInput",
      "CustomerUsage",
      "CustomersPage",
      "Decoder",
      "ExternalId",
      "LagoError",
      "PaginationMeta",
      "PortalUrl",
      "ProjectedUsage",
      "RetryAfter"
    ])
  })

  it("@lago-effect/client: the client, the operations table, queries and retries", () => {
    expect(surface(Client)).toEqual({
      Customers: ["make", "operations"],
      CustomersQuery: [
        "encodeAppliedCoupons",
        "encodeCurrentUsage",
        "encodeFindAll",
        "encodePastUsage",
        "encodeProjectedUsage",
        "encoder"
      ],
      LagoClient: [
        "LagoClient",
        "layer",
        "layerConfig",
        "make",
        "resolveBaseUrl",
        "withRetry",
        "withTimeout",
        "withTotalTimeout"
      ],
      LagoHttpClient: ["layer", "layerUndici", "make", "makeUndici"],
      LagoMetrics: ["retries"],
      LagoOperation: ["body", "encodeSegment", "envelope", "isParam", "make", "pathAndQuery", "segments"],
      RetryPolicy: ["defaultBackoff", "defaults", "isRetryable", "none", "requestedWait"]
    })
    expect(Object.keys(Client.Customers.operations)).toEqual([
      "create",
      "findAll",
      "find",
      "destroy",
      "findCurrentUsage",
      "findProjectedUsage",
      "findAllPastUsage",
      "getPortalUrl",
      "generateCheckoutUrl",
      "findAllAppliedCoupons",
      "deleteAppliedCoupon"
    ])
  })

  it("@lago-effect/testing: the in-memory Lago, its fake server and builders", () => {
    expect(Object.keys(Testing).sort()).toEqual(["Builders", "Fault", "LagoClientTest", "LagoFake", "LagoStore"])
    expect(surface(Testing).LagoFake).toEqual(["LagoFake", "httpClient", "layer", "layerHttpClient", "make"])
    expect(surface(Testing).LagoClientTest).toEqual(["layer", "make"])
    expect(Object.keys(Node).sort()).toEqual(["LagoFakeServer", "layer", "layerLagoClient"])
  })

  it("internal modules cannot be imported", async () => {
    const internal = ["@lago-effect/client/internal/executor", "@lago-effect/core/internal/schemas"]
    for (const specifier of internal) {
      await expect(import(/* @vite-ignore */ specifier)).rejects.toThrow()
    }
    // while every public module can (TypeScript names types through them)
    expect(Object.keys(await import("@lago-effect/client/LagoClient"))).toContain("layerConfig")
  })

  it("no name is exported by two packages", () => {
    const names = [...Object.keys(Core), ...Object.keys(Client), ...Object.keys(Testing), ...Object.keys(Node)]
    expect(names.length).toBe(new Set(names).size)
  })
})
