/**
 * What the packages publish stays in step with their sources: the entry points of each
 * manifest (one per public module, none internal, `source` only in the workspace) and the API
 * reference in docs/api (every export with a description, `@since` and `@category`). The packed
 * tarballs themselves are checked by the consumer matrix (`pnpm test:consumers`).
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")

const check = (script: string) =>
  execFileSync(process.execPath, [Path.join(root, "scripts", script), "--check"], { cwd: root, encoding: "utf8" })

describe("packaging", () => {
  it("every manifest's entry points match its modules (node scripts/manifests.mjs)", () => {
    expect(() => check("manifests.mjs")).not.toThrow()
  })

  it("every export is documented and docs/api is current (node scripts/docs.mjs)", () => {
    expect(() => check("docs.mjs")).not.toThrow()
  })

  for (const name of ["core", "client", "testing"]) {
    it(`@lago-effect/${name}: effect is a peer, the published exports have no source condition`, () => {
      const manifest = JSON.parse(Fs.readFileSync(Path.join(root, "packages", name, "package.json"), "utf8"))
      expect(manifest.peerDependencies.effect).toBe("^3.22.0")
      expect(manifest.dependencies?.effect).toBeUndefined()
      expect(JSON.stringify(manifest.publishConfig.exports)).not.toContain("source")
      expect(Object.keys(manifest.exports).some((key) => key.includes("internal"))).toBe(false)
      expect(manifest.scripts.prepack).toBe(`node ../../scripts/build.mjs ${name}`)
      expect(manifest.license).toBe("MIT")
      expect(manifest.repository.directory).toBe(`packages/${name}`)
    })
  }

  it("no README or shipped source points at documents users do not have", () => {
    const shipped = [
      "README.md",
      ...["core", "client", "testing"].flatMap((name) => {
        const dir = Path.join(root, "packages", name)
        const files = [Path.join(dir, "README.md")]
        const walk = (from: string) => {
          for (const entry of Fs.readdirSync(from, { withFileTypes: true })) {
            const path = Path.join(from, entry.name)
            if (entry.isDirectory()) walk(path)
            else if (entry.name.endsWith(".ts")) files.push(path)
          }
        }
        walk(Path.join(dir, "src"))
        return files.map((file) => Path.relative(root, file))
      })
    ]
    for (const file of shipped) {
      const text = Fs.readFileSync(Path.join(root, file), "utf8")
      expect(text, file).not.toMatch(/\.\.\/shared|contract §|lago-contract|seed\/CustomersApi/)
    }
  })
})
