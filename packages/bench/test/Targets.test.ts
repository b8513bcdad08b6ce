import { describe, expect, it } from "vitest"
import * as Targets from "../src/Targets.js"

const rows: Targets.Rows = {
  floor: { label: "floor" },
  loadedFloor: { label: "loaded" },
  official: { label: "official" },
  defaults: [{ label: "defaults" }],
  floorSettings: [{ label: "per_page 100" }],
  micro: { label: "micro" }
}

/** Medians from a table: scenario -> row label -> key -> value. */
const medians =
  (table: Record<string, Record<string, Record<string, number>>>): Targets.MedianOf => (scenario, row, key) =>
    table[scenario]?.[row.label]?.[key]

const byTarget = (verdicts: ReadonlyArray<Targets.Verdict>, target: string) =>
  verdicts.filter((verdict) => verdict.target === target)

describe("Targets.judge", () => {
  it("judges S1's ratios to the floor, each against its own limit", () => {
    const verdicts = Targets.judge(
      medians({
        S1: {
          floor: { wallMs: 1000, cpuMs: 1000, maxRssMiB: 100 },
          loaded: { wallMs: 1000, cpuMs: 1000, maxRssMiB: 110 },
          defaults: { wallMs: 700, cpuMs: 1300, maxRssMiB: 121 },
          "per_page 100": { wallMs: 1310, cpuMs: 900, maxRssMiB: 120 }
        }
      }),
      rows
    )
    expect(byTarget(verdicts, "1. S1 wall").map((verdict) => verdict.met)).toEqual([true, false])
    expect(byTarget(verdicts, "1. S1 CPU").map((verdict) => verdict.met)).toEqual([true, true])
    const rss = byTarget(verdicts, "1. S1 peak RSS")
    expect(rss.map((verdict) => verdict.met)).toEqual([false, true])
    expect(rss[0].figure).toBe("defaults: 1.21x (1.10x the loaded floor's)")
    // Nothing else ran: no other target is judged.
    expect(verdicts).toHaveLength(6)
  })

  it("judges nothing when no target's scenario ran", () => {
    expect(Targets.judge(medians({ S3: { floor: { wallMs: 1 } } }), rows)).toEqual([])
    expect(Targets.section([])).toBeUndefined()
  })

  it("derives the decoding rate inside the client from the paired page and find", () => {
    const verdicts = Targets.judge(
      medians({
        S5: {
          micro: {
            compiledDecodeCustomersPerSecond: 299_000,
            jsonParseCustomersPerSecond: 100_000,
            lagoPageAboveFloorMicros: 380,
            lagoFindAboveFloorMicros: 50,
            floorFindMicros: 25
          }
        }
      }),
      rows
    )
    const decoder = byTarget(verdicts, "2. Decoder")[0]
    expect([decoder.figure, decoder.met]).toEqual(["299k/s (decoding alone; JSON.parse 100k/s in the same run)", false])
    // 99 customers in 330 µs: 300,000 a second.
    const inside = byTarget(verdicts, "2. Decoding inside the client")[0]
    expect([inside.figure.startsWith("300k/s"), inside.met]).toEqual([true, true])
    const find = byTarget(verdicts, "3. find above the floor, paired")[0]
    expect([find.figure, find.met]).toEqual(["50.0 µs (the floor's find 25.0 µs)", true])
  })

  it("requires S2's speed-up without a 429 and within the rate limit", () => {
    const judged = (limited: number, peakPerSecond: number, wallMs: number) =>
      Targets.judge(
        medians({
          S2: { official: { wallMs: 6000 }, defaults: { wallMs, limited, peakPerSecond } }
        }),
        rows
      )[0].met
    expect(judged(0, 40, 1900)).toBe(true)
    expect(judged(0, 40, 2100)).toBe(false)
    expect(judged(1, 40, 1900)).toBe(false)
    expect(judged(0, 51, 1900)).toBe(false)
  })

  it("writes one row per verdict", () => {
    const section = Targets.section([{ target: "t", figure: "f", asks: "a", met: false }])
    expect(section).toContain("| t | f | a | no |")
  })
})
