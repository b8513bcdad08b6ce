import { FileSystem } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ExitCode } from "@lago-effect/cli"
import type { LagoStore } from "@lago-effect/testing"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, Fiber, TestClock } from "effect"
import { apiKey, cli, environment, fakeLayer } from "./helpers.js"

const { ExitCode: Code } = ExitCode

const seed: LagoStore.Seed = {
  customers: [
    Builders.customerInput({ external_id: "acme", name: "Acme", currency: "EUR" }),
    Builders.customerInput({
      external_id: "paying",
      name: "Paying",
      billing_configuration: { payment_provider: "stripe", payment_provider_code: "stripe_prod" }
    })
  ],
  usage: [{ external_customer_id: "acme", external_subscription_id: "sub_1", usage: Builders.customerUsage() }],
  pastUsage: [{
    external_customer_id: "acme",
    external_subscription_id: "sub_1",
    periods: [Builders.customerUsage(), Builders.customerUsage()]
  }],
  appliedCoupons: [Builders.appliedCoupon({ external_customer_id: "acme" })]
}

const inject = (rule: Fault.Rule) => Effect.flatMap(LagoFake.LagoFake, (fake) => fake.inject(rule))

describe("lago-effect customers: every command against the fake", () => {
  it.effect("get prints the customer as Lago's JSON", () =>
    Effect.gen(function*() {
      const ran = yield* cli(["customers", "get", "acme"])
      expect(ran.code).toBe(Code.ok)
      const customer = JSON.parse(ran.stdout)
      expect(customer.external_id).toBe("acme")
      expect(customer.currency).toBe("EUR")
      expect(customer.created_at).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(ran.stderr).toBe("")
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.scoped("upsert creates from a file (Lago's body or the customer alone), then updates only what is set", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      yield* fs.writeFileString(`${dir}/new.json`, JSON.stringify({ customer: { external_id: "new", name: "New" } }))
      const created = yield* cli(["customers", "upsert", "--file", `${dir}/new.json`])
      expect(created.code).toBe(Code.ok)
      expect(JSON.parse(created.stdout)).toMatchObject({ external_id: "new", name: "New" })
      yield* fs.writeFileString(`${dir}/update.json`, JSON.stringify({ external_id: "new", email: "new@example.com" }))
      const updated = yield* cli(["customers", "upsert", "-f", `${dir}/update.json`])
      expect(JSON.parse(updated.stdout)).toMatchObject({ external_id: "new", name: "New", email: "new@example.com" })
      expect(JSON.parse((yield* cli(["customers", "get", "new"])).stdout).email).toBe("new@example.com")
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.scoped("upsert refuses a file that is not JSON or not a customer (exit 5), and a missing file (exit 9)", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      yield* fs.writeFileString(`${dir}/broken.json`, "{\"customer\": ")
      yield* fs.writeFileString(`${dir}/wrong.json`, JSON.stringify({ customer: { name: "no id", colour: "red" } }))
      const broken = yield* cli(["customers", "upsert", "--file", `${dir}/broken.json`])
      expect(broken.code).toBe(Code.validation)
      expect(broken.stderr).toMatch(/^lago-effect: .*broken\.json: not JSON/)
      const wrong = yield* cli(["customers", "upsert", "--file", `${dir}/wrong.json`])
      expect(wrong.code).toBe(Code.validation)
      expect(wrong.stderr).toContain("external_id")
      const missing = yield* cli(["customers", "upsert", "--file", `${dir}/missing.json`])
      expect(missing.code).toBe(Code.file)
      expect(broken.stderr.split("\n").filter((line) => line !== "")).toHaveLength(1)
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("delete prints the deleted customer; a second delete is not found (exit 4)", () =>
    Effect.gen(function*() {
      const deleted = yield* cli(["customers", "delete", "acme"])
      expect(deleted.code).toBe(Code.ok)
      expect(JSON.parse(deleted.stdout).external_id).toBe("acme")
      const again = yield* cli(["customers", "delete", "acme"])
      expect(again.code).toBe(Code.notFound)
      expect(again.stderr).toMatch(/^lago-effect: Lago destroyCustomer: .*HTTP 404, customer_not_found.*check the id/)
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("usage, projected-usage and past-usage print the subscription's usage", () =>
    Effect.gen(function*() {
      const current = yield* cli(["customers", "usage", "acme", "--subscription", "sub_1"])
      expect(current.code).toBe(Code.ok)
      expect(JSON.parse(current.stdout).charges_usage).toHaveLength(1)
      const projected = yield* cli(["customers", "projected-usage", "acme", "--subscription", "sub_1"])
      expect(projected.code).toBe(Code.ok)
      expect(JSON.parse(projected.stdout)).toHaveProperty("projected_amount_cents")
      const past = yield* cli(["customers", "past-usage", "acme", "--subscription", "sub_1"])
      expect(past.code).toBe(Code.ok)
      expect(JSON.parse(past.stdout)).toHaveLength(2)
      const none = yield* cli(["customers", "usage", "acme", "--subscription", "nope"])
      expect(none.code).not.toBe(Code.ok)
      expect([Code.notFound, Code.validation]).toContain(none.code)
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("portal-url and checkout-url print the URL alone, for the shell", () =>
    Effect.gen(function*() {
      const portal = yield* cli(["customers", "portal-url", "acme"])
      expect(portal.code).toBe(Code.ok)
      expect(portal.stdout).toMatch(/^https:\/\/\S+\n$/)
      const checkout = yield* cli(["customers", "checkout-url", "paying"])
      expect(checkout.code).toBe(Code.ok)
      expect(checkout.stdout).toMatch(/^https:\/\/checkout\.stripe\.test\/\S+\n$/)
      // Lago refuses a checkout without a payment provider: a validation failure, with its details.
      const refused = yield* cli(["customers", "checkout-url", "acme"])
      expect(refused.code).toBe(Code.validation)
      expect(refused.stderr).toContain("no_linked_payment_provider")
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("applied-coupons lists them; delete-coupon terminates one", () =>
    Effect.gen(function*() {
      const listed = yield* cli(["customers", "applied-coupons", "acme"])
      expect(listed.code).toBe(Code.ok)
      const coupons = JSON.parse(listed.stdout)
      expect(coupons).toHaveLength(1)
      const deleted = yield* cli(["customers", "delete-coupon", "acme", coupons[0].lago_id])
      expect(deleted.code).toBe(Code.ok)
      expect(JSON.parse(deleted.stdout).status).toBe("terminated")
      const active = yield* cli(["customers", "applied-coupons", "acme", "--status", "active"])
      expect(JSON.parse(active.stdout)).toEqual([])
    }).pipe(Effect.provide(fakeLayer(seed))))
})

describe("lago-effect: one line and a documented exit code per class of failure", () => {
  const failing = (status: number, times?: number) =>
    inject({ fault: Fault.status(status), route: "findCustomer", times })

  const cases: ReadonlyArray<{
    readonly name: string
    readonly setup: Effect.Effect<void, never, LagoFake.LagoFake>
    readonly env: Record<string, string>
    readonly code: number
  }> = [
    { name: "auth (401)", setup: Effect.void, env: { ...environment, LAGO_API_KEY: "wrong_key" }, code: Code.auth },
    { name: "auth (403)", setup: failing(403), env: environment, code: Code.auth },
    { name: "not found (404)", setup: Effect.void, env: environment, code: Code.notFound },
    { name: "validation (422)", setup: failing(422), env: environment, code: Code.validation },
    { name: "rate limit (429 after the retries)", setup: failing(429), env: environment, code: Code.rateLimit },
    { name: "server (500 after the retries)", setup: failing(500), env: environment, code: Code.server },
    {
      name: "network (dropped connections)",
      setup: inject({ fault: Fault.drop(), route: "findCustomer" }),
      env: environment,
      code: Code.network
    },
    {
      name: "usage (no API key)",
      setup: Effect.void,
      env: { LAGO_API_URL: environment.LAGO_API_URL },
      code: Code.usage
    },
    {
      name: "usage (a malformed API URL)",
      setup: Effect.void,
      env: { ...environment, LAGO_API_URL: "ftp://x" },
      code: Code.usage
    }
  ]

  it.effect.each(cases)("$name", ({ code, env, setup }) =>
    Effect.gen(function*() {
      yield* setup
      const ran = yield* cli(["customers", "get", "nobody", "--retries", "0"], { env })
      expect(ran.code).toBe(code)
      const lines = ran.stderr.split("\n").filter((line) => line !== "")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^lago-effect: /)
      expect(ran.stderr).not.toMatch(/\n\s+at /)
      expect(ran.stderr).not.toContain(apiKey)
      expect(ran.stdout).toBe("")
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("the line names the operation, status, Lago's code, the request id and what to do", () =>
    Effect.gen(function*() {
      yield* failing(503)
      const ran = yield* cli(["customers", "get", "acme", "--retries", "0"])
      expect(ran.code).toBe(Code.server)
      expect(ran.stderr).toMatch(
        /^lago-effect: Lago findCustomer: .*HTTP 503.* on GET http:\/\/lago\.test\/api\/v1\/customers\/acme \(request id [\w-]+\): Lago failed; try again later/
      )
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("transient failures are retried (--retries) before they are reported", () =>
    Effect.gen(function*() {
      yield* failing(503, 2)
      const fiber = yield* Effect.fork(cli(["customers", "get", "acme", "--retries", "2"]))
      yield* TestClock.adjust("10 seconds")
      const ran = yield* Fiber.join(fiber)
      expect(ran.code).toBe(Code.ok)
      expect(ran.stderr).toBe("")
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.effect("a bad command line is a usage error (exit 2), printed by @effect/cli", () =>
    Effect.gen(function*() {
      expect((yield* cli(["customers", "get"])).code).toBe(Code.usage)
      expect((yield* cli(["customers", "frobnicate"])).code).toBe(Code.usage)
      expect((yield* cli(["customers", "export", "--concurrency", "zero"])).code).toBe(Code.usage)
      expect((yield* cli(["customers", "get", "acme", "--retries", "-1"])).code).toBe(Code.usage)
    }).pipe(Effect.provide(fakeLayer(seed))))

  it.scoped("--api-key-file reads the key; --api-key works but warns; neither ever prints the key", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      yield* fs.writeFileString(`${dir}/key`, `${apiKey}\n`)
      const env = { LAGO_API_URL: environment.LAGO_API_URL }
      const fromFile = yield* cli(["customers", "get", "acme", "--api-key-file", `${dir}/key`], { env })
      expect(fromFile.code).toBe(Code.ok)
      expect(fromFile.stderr).toBe("")
      const fromFlag = yield* cli(["customers", "get", "acme", "--api-key", apiKey], { env })
      expect(fromFlag.code).toBe(Code.ok)
      expect(fromFlag.stderr).toMatch(/^warning: --api-key puts the key in your shell history/)
      expect(fromFlag.stderr).not.toContain(apiKey)
      const wrong = yield* cli(["customers", "get", "acme", "--api-key", `${apiKey}x`], { env })
      expect(wrong.code).toBe(Code.auth)
      expect(wrong.stderr).not.toContain(apiKey)
      // A key file that cannot be read is a file failure, as a --file is; a directory is a usage error.
      const missing = yield* cli(["customers", "get", "acme", "--api-key-file", `${dir}/missing`], { env })
      expect(missing.code).toBe(Code.file)
      expect(missing.stderr).toMatch(new RegExp(`^lago-effect: ${dir}/missing: `))
      expect(missing.stderr.trim().split("\n")).toHaveLength(1)
      expect((yield* cli(["customers", "get", "acme", "--api-key-file", dir], { env })).code).toBe(Code.usage)
    }).pipe(Effect.provide(fakeLayer(seed))))
})
