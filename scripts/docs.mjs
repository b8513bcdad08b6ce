#!/usr/bin/env node
/**
 * The API reference of the published packages, from their JSDoc (`docs/api/<package>.md`), and
 * the check that every export is documented: a description, `@since` and `@category`.
 * `@example` blocks are type-checked against the packed packages by the consumer matrix
 * (`scripts/consumers.mjs`).
 *
 *   node scripts/docs.mjs          write docs/api
 *   node scripts/docs.mjs --check  fail on an undocumented export or a stale docs/api
 */
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { modulesOf, packageDir, published, root } from "./packages.mjs"

const require = createRequire(import.meta.url)
const ts = require("typescript")

const isExported = (node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

/** The exported declarations of a module, with their names and JSDoc. */
const exportsOf = (file) => {
  const text = Fs.readFileSync(file, "utf8")
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true)
  const found = []
  for (const statement of source.statements) {
    let names = []
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause
      if (clause !== undefined && ts.isNamespaceExport(clause)) names = [clause.name.text]
      else if (clause !== undefined && ts.isNamedExports(clause)) names = clause.elements.map((e) => e.name.text)
    } else if (isExported(statement)) {
      if (ts.isVariableStatement(statement)) names = statement.declarationList.declarations.map((d) => d.name.getText())
      else if (statement.name !== undefined) names = [statement.name.text]
    }
    if (names.length === 0) continue
    // `export { /** docs */ Name }`: the documentation is on the specifier.
    const documented = ts.isExportDeclaration(statement) && statement.exportClause !== undefined &&
        ts.isNamedExports(statement.exportClause)
      ? statement.exportClause.elements[0]
      : statement
    const docs = ts.getJSDocCommentsAndTags(documented).filter(ts.isJSDoc)
    const doc = docs.at(-1)
    const tags = Object.fromEntries(
      (doc?.tags ?? []).map((tag) => [tag.tagName.text, ts.getTextOfJSDocComment(tag.comment) ?? ""])
    )
    const description = ts.getTextOfJSDocComment(doc?.comment) ?? ""
    const examples = (doc?.tags ?? []).filter((tag) => tag.tagName.text === "example")
      .map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? "")
    const kind = ts.SyntaxKind[statement.kind].replace(/Declaration|Statement/, "")
    const signature = signatureOf(statement, source)
    for (const name of names) found.push({ name, kind, description, tags, examples, signature })
  }
  // A value and a type of the same name (a schema and its type) are one entry: the first
  // declaration's description serves both.
  const merged = new Map()
  for (const entry of found) {
    const known = merged.get(entry.name)
    if (known === undefined) merged.set(entry.name, { ...entry, signatures: [entry.signature] })
    else {
      merged.set(entry.name, {
        ...known,
        description: known.description.trim() !== "" ? known.description : entry.description,
        tags: { ...entry.tags, ...known.tags },
        examples: [...known.examples, ...entry.examples],
        signatures: [...known.signatures, entry.signature]
      })
    }
  }
  return [...merged.values()]
}

/** The declaration's first line(s), without its body: what the reference shows. */
const signatureOf = (statement, source) => {
  const text = statement.getText(source).replace(/\/\*\*[\s\S]*?\*\/\s*/g, "")
  if (
    ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement)
  ) {
    const head = text.split("\n")[0]
    return head.length > 160 ? `${head.slice(0, 160)}…` : head
  }
  if (ts.isExportDeclaration(statement)) return text
  const [first] = text.split(" =>")[0].split(" = ")
  const head = first.split("\n").slice(0, 6).join("\n")
  return head.length > 400 ? `${head.slice(0, 400)}…` : head
}

const render = (name, modules) => {
  const manifest = JSON.parse(Fs.readFileSync(Path.join(packageDir(name), "package.json"), "utf8"))
  const lines = [
    `# @lago-effect/${name} API`,
    "",
    `${manifest.description}. Generated from the JSDoc of the sources by \`scripts/docs.mjs\`; do not edit.`,
    ""
  ]
  for (const { module, entries } of modules) {
    const specifier = module === "index" ? `@lago-effect/${name}` : `@lago-effect/${name}/${module}`
    lines.push(`## ${module === "index" ? "index" : module}`, "", `\`import ... from "${specifier}"\``, "")
    const categories = new Map()
    for (const entry of entries) {
      const category = entry.tags.category ?? "other"
      categories.set(category, [...(categories.get(category) ?? []), entry])
    }
    for (const [category, items] of [...categories].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`### ${category}`, "")
      for (const item of items.sort((a, b) => a.name.localeCompare(b.name))) {
        lines.push(`#### ${item.name}`, "", item.description, "", "```ts", ...item.signatures, "```", "")
        for (const example of item.examples) lines.push("Example:", "", example.trim(), "")
        lines.push(`Since ${item.tags.since}`, "")
      }
    }
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`
}

const main = () => {
  const check = process.argv.includes("--check")
  const problems = []
  for (const name of published) {
    const modules = modulesOf(name).map((module) => {
      const file = Path.join(packageDir(name), "src", `${module}.ts`)
      const entries = exportsOf(file)
      for (const entry of entries) {
        const where = `${Path.relative(root, file)}: ${entry.name}`
        if (entry.description.trim() === "") problems.push(`${where} has no description`)
        if (entry.tags.since === undefined) problems.push(`${where} has no @since`)
        if (entry.tags.category === undefined) problems.push(`${where} has no @category`)
      }
      return { module, entries }
    })
    const target = Path.join(root, "docs", "api", `${name}.md`)
    const text = render(name, modules)
    if (check) {
      if (!Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== text) {
        problems.push(`${Path.relative(root, target)} is stale (node scripts/docs.mjs)`)
      }
    } else {
      Fs.mkdirSync(Path.dirname(target), { recursive: true })
      Fs.writeFileSync(target, text)
    }
  }
  if (problems.length > 0) {
    console.error(problems.join("\n"))
    process.exit(1)
  }
}

main()
