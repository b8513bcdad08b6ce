/**
 * What aborts a direct-lane attempt: the signal undici's `request` listens to, and the web
 * `AbortSignal` the fetch lane hands to `fetch`. (That undici's request and Node's fetch are
 * aborted by it is tested over real connections in `LagoHttpClient.test.ts`.)
 */
import { describe, expect, it } from "@effect/vitest"
import { AttemptAbort } from "../src/internal/abort.js"

describe("AttemptAbort", () => {
  it("tells each listener once, and not one removed before", () => {
    const abort = new AttemptAbort()
    const heard: Array<string> = []
    const first = () => heard.push("first")
    const removed = () => heard.push("removed")
    abort.addEventListener("abort", first)
    abort.addEventListener("abort", first)
    abort.addEventListener("abort", removed)
    abort.addEventListener("other", () => heard.push("other"))
    abort.removeEventListener("abort", removed)
    expect(abort.aborted).toBe(false)
    abort.abort()
    abort.abort()
    expect(abort.aborted).toBe(true)
    expect(heard).toEqual(["first"])
  })

  it("its web signal is aborted with it, whether made before or after", () => {
    const before = new AttemptAbort()
    const signal = before.signal
    expect(before.signal).toBe(signal)
    expect(signal.aborted).toBe(false)
    before.abort()
    expect(signal.aborted).toBe(true)
    const after = new AttemptAbort()
    after.abort()
    expect(after.signal.aborted).toBe(true)
  })

  it("a listener that throws stops neither the others nor the web signal, and abort does not throw", () => {
    const abort = new AttemptAbort()
    const signal = abort.signal
    const heard: Array<string> = []
    abort.addEventListener("abort", () => {
      heard.push("throwing")
      throw new Error("a dispatcher's bug")
    })
    abort.addEventListener("abort", () => heard.push("next"))
    expect(() => abort.abort()).not.toThrow()
    expect(heard).toEqual(["throwing", "next"])
    expect(signal.aborted).toBe(true)
  })
})
