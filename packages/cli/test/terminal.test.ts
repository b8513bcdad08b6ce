/**
 * What reaches a terminal: Lago's text inert (control characters and bidirectional overrides
 * in a URL or an error message printed as escapes, a failure one line), and help styled there
 * only.
 */
import { describe, expect, it } from "@effect/vitest"
import { ExitCode } from "@lago-effect/cli"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, FastCheck as fc } from "effect"
import { visible } from "../src/internal/visible.js"
import { cli, fakeLayer } from "./helpers.js"

const { ExitCode: Code } = ExitCode

/** Any character a terminal acts on or displays out of order. */
const isUnsafe = (character: string) => /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(character)
const hostile = "\u001b]0;owned\u0007\u001b[2Jdone\r\nlago-effect: forged\u202egnp.exe\u009b"

describe("visible", () => {
  it.prop(
    "leaves no control character but tab (and line breaks, when kept: a carriage return only before a line feed); changes nothing else",
    // Control characters and line breaks among any others, often enough to meet each other.
    [
      fc.array(
        fc.oneof(
          fc.constantFrom("\r", "\n", "\r\n", "\t", "\u001b", "\u202e", "\u009b"),
          fc.string({ unit: "binary", maxLength: 8 })
        ),
        { maxLength: 30 }
      )
        .map((parts) => parts.join("")),
      fc.boolean()
    ],
    ([text, keepLineBreaks]) => {
      const shown = visible(text, { keepLineBreaks })
      for (let i = 0; i < shown.length; i++) {
        const character = shown[i]
        if (character === "\t") continue
        if (keepLineBreaks && (character === "\n" || (character === "\r" && shown[i + 1] === "\n"))) continue
        expect(isUnsafe(character)).toBe(false)
      }
      // Unescaped, the text comes back: nothing was dropped or added.
      const back = shown.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      if (!text.includes("\\u")) expect(back).toBe(text)
      if ([...text].every((character) => !isUnsafe(character) || character === "\t")) expect(shown).toBe(text)
    },
    { fastCheck: { numRuns: 200 } }
  )
})

describe("lago-effect prints what Lago sends inert", () => {
  it.effect("a portal URL with escape sequences is printed escaped, on one line", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({
        route: "getCustomerPortalUrl",
        fault: Fault.status(200, { body: JSON.stringify({ customer: { portal_url: `https://x.test/${hostile}` } }) })
      })
      const ran = yield* cli(["customers", "portal-url", "acme"])
      expect(ran.code).toBe(Code.ok)
      expect([...ran.stdout.slice(0, -1)].some(isUnsafe)).toBe(false)
      expect(ran.stdout).toBe(`https://x.test/${visible(hostile)}\n`)
      expect(ran.stdout).toContain("\\u001b]0;owned\\u0007")
    }).pipe(Effect.provide(fakeLayer())))

  it.effect("a failure whose message carries Lago's text stays one line, its controls escaped", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({
        route: "findCustomer",
        fault: Fault.status(422, {
          body: JSON.stringify({
            status: 422,
            error: hostile,
            code: "validation_errors",
            error_details: { name: [hostile] }
          })
        })
      })
      const ran = yield* cli(["customers", "get", "acme", "--retries", "0"])
      expect(ran.code).toBe(Code.validation)
      const lines = ran.stderr.split("\n").filter((line) => line !== "")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^lago-effect: /)
      expect([...lines[0]].some(isUnsafe)).toBe(false)
      expect(lines[0]).toContain("\\u001b")
    }).pipe(Effect.provide(fakeLayer())))
})

describe("lago-effect's help and usage errors (printed by @effect/cli)", () => {
  const escape = String.fromCharCode(0x1b)

  it.effect("are plain text in a file or a pipe, styled on a terminal, plain with NO_COLOR", () =>
    Effect.gen(function*() {
      const piped = yield* cli(["--help"])
      expect(piped.code).toBe(Code.ok)
      expect(piped.stdout).toContain("USAGE")
      expect(piped.stdout).toContain("lago-effect")
      expect(piped.stdout).not.toContain(escape)
      const terminal = yield* cli(["--help"], { stdoutTty: true })
      expect(terminal.stdout).toContain(escape)
      // The same text once unstyled.
      expect(terminal.stdout.replace(new RegExp(`${escape}\\[[0-9;]*m`, "g"), "")).toBe(piped.stdout)
      const noColor = yield* cli(["--help"], { stdoutTty: true, env: { NO_COLOR: "1" } })
      expect(noColor.stdout).toBe(piped.stdout)
    }).pipe(Effect.provide(fakeLayer())))

  it.effect("a usage error goes to standard error, plain unless it is a terminal", () =>
    Effect.gen(function*() {
      const piped = yield* cli(["customers", "frobnicate"])
      expect(piped.code).toBe(Code.usage)
      expect(piped.stderr).not.toBe("")
      expect(piped.stderr).not.toContain(escape)
      expect(piped.stdout).toBe("")
    }).pipe(Effect.provide(fakeLayer())))
})

describe("lago-effect customers export on standard output", () => {
  const seed = {
    customers: [Builders.customerInput({ external_id: "hostile", name: `Acme${hostile}`, currency: "EUR" })]
  }

  it.effect("as CSV on a terminal, customers' text is shown escaped; a pipe gets it byte for byte", () =>
    Effect.gen(function*() {
      const piped = yield* cli(["customers", "export", "--format", "csv"])
      expect(piped.code).toBe(Code.ok)
      expect(piped.stdout).toContain(`Acme${hostile}`)
      const terminal = yield* cli(["customers", "export", "--format", "csv"], { stdoutTty: true })
      expect(terminal.code).toBe(Code.ok)
      expect(terminal.stdout).toBe(visible(piped.stdout, { keepLineBreaks: true }))
      // Records still end with CRLF; nothing else a terminal would act on is left.
      const lines = terminal.stdout.split("\r\n").filter((line) => line !== "")
      expect(lines.length).toBeGreaterThanOrEqual(2)
      for (const line of lines) expect([...line].some(isUnsafe)).toBe(false)
    }).pipe(Effect.provide(fakeLayer(seed))))
})

describe("lago-effect's JSON output", () => {
  const name = "Acme\u202egnp.exe\u009b31m\u007f"
  const seed = { customers: [Builders.customerInput({ external_id: "spoof", name, currency: "EUR" })] }

  it.effect("escapes DEL, C1 and bidirectional controls as JSON escapes: the same value, shown as it reads", () =>
    Effect.gen(function*() {
      const ran = yield* cli(["customers", "get", "spoof"])
      expect(ran.code).toBe(Code.ok)
      expect([...ran.stdout].some((character) => character !== "\n" && isUnsafe(character))).toBe(false)
      expect(ran.stdout).toContain("Acme\\u202egnp.exe\\u009b31m\\u007f")
      expect(JSON.parse(ran.stdout).name).toBe(name)
    }).pipe(Effect.provide(fakeLayer(seed))))
})
