/**
 * What the repository scripts share about the published packages: their names in dependency
 * order, their public modules and their source files.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository's root. */
export const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")

/** The published packages (folder names under packages/), each after what it depends on. */
export const published = ["core", "client", "testing", "cli"]

/** The folder of a published package. */
export const packageDir = (name) => Path.join(root, "packages", name)

/** The public modules of a package: its `src/*.ts` without the extension, index first. */
export const modulesOf = (name) =>
  Fs.readdirSync(Path.join(packageDir(name), "src"))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => file.slice(0, -3))
    .sort((a, b) => (a === "index" ? -1 : b === "index" ? 1 : a.localeCompare(b)))

/** Every `.ts` file below `dir` (internal modules included), as absolute paths. */
export const sourceFiles = (dir) =>
  Fs.readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => Path.join(dir, file))
