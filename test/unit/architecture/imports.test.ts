/**
 * The direction of imports in src/ (docs/architecture.md), read from the source with the TypeScript parser:
 * static imports, re-exports, type-only imports and dynamic import() alike. `npm run check` runs this in CI.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");

interface Edge {
  from: string;
  /** A path under src/ (no extension change: `core/json/index.ts`), or the bare specifier (`ajv`, `node:fs`). */
  to: string;
  /** Names imported from a node: module (for the ones core may use only in part). */
  names: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

function edgesOf(file: string): Edge[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: string, names: string[] = []) => {
    const to = specifier.startsWith(".")
      ? relative(SRC, resolve(dirname(join(SRC, file)), specifier)).replace(/\.js$/, ".ts")
      : specifier;
    edges.push({ from: file, to, names });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const names: string[] = [];
      const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : undefined;
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) names.push(element.name.text);
      if (ts.isImportDeclaration(node) && node.importClause?.name) names.push("default");
      if (bindings && ts.isNamespaceImport(bindings)) names.push("*");
      add((node.moduleSpecifier as ts.StringLiteral).text, names);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const files = sourceFiles(SRC);
const edges = files.flatMap(edgesOf);
const internal = (edge: Edge) => edge.to.endsWith(".ts");

/** The folders beside core that reach the outside world (servers, processes, files, git, the TypeScript compiler). */
const ADAPTERS = ["mcp", "sandbox", "store", "git", "analysis"];

/** The layer of a file under src/. */
function layerOf(path: string): string {
  const top = path.split("/")[0]!;
  if (ADAPTERS.includes(top)) return "adapter";
  if (top.endsWith(".ts")) return top.replace(/\.ts$/, "");
  return top;
}

/** What each layer may import from src/. */
const ALLOWED: Record<string, string[]> = {
  contracts: ["contracts"],
  errors: [],
  version: [],
  core: ["core", "contracts", "errors"],
  adapter: ["adapter", "core", "contracts", "errors", "version"],
  commands: ["commands", "adapter", "core", "contracts", "errors", "version"],
  cli: ["cli", "commands", "adapter", "core", "contracts", "errors", "version"],
  index: ["commands", "adapter", "core", "contracts", "errors", "version"],
};

/** node: modules core may use: pure string and hash helpers, by name. */
const CORE_NODE: Record<string, string[] | "all"> = {
  "node:path/posix": "all",
  "node:crypto": ["createHash"],
  "node:net": ["isIP"],
  // loading a package on first use, synchronously (ajv behind the validator factory): not IO of core's own
  "node:module": ["createRequire"],
};

/**
 * Commands that are made of other commands: a release and a review are validate + test + compat of the skills they
 * touch, with the same results a user gets from those commands.
 */
const COMPOSED_OF: Record<string, string[]> = {
  release: ["validate", "test", "compat"],
  review: ["validate", "test", "compat"],
};

/** Folders entered only through their index.ts from outside. */
const SURFACES = ["core/pii", "core/json", "core/schema"];

/** core/pii's stages: a stage imports only itself and the stages before it (the files at its top come last). */
const PII_STAGES = ["types.ts", "detect", "json", "vault", "tokenize", "top"];
const piiStage = (path: string) => {
  const part = path.split("/")[2]!;
  return part === "types.ts" ? "types.ts" : part.endsWith(".ts") ? "top" : part;
};

const show = (list: Edge[]) => list.map((edge) => `${edge.from} -> ${edge.to}`);

describe("the import graph of src/", () => {
  it("finds the files and their imports", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((edge) => edge.from === "cli/main.ts" && edge.to === "cli/commands.ts")).toBe(true);
    // dynamic imports count: the command table loads handlers with import()
    expect(edges.some((edge) => edge.from === "cli/commands.ts" && edge.to === "cli/handlers/run.ts")).toBe(true);
  });

  it("knows the layer of every folder of src/", () => {
    const unknown = [...new Set(files.map(layerOf))].filter((layer) => ALLOWED[layer] === undefined);
    expect(unknown).toEqual([]);
  });

  it("points down only: cli -> commands -> adapters -> core -> contracts", () => {
    const wrong = edges.filter((edge) => internal(edge) && !ALLOWED[layerOf(edge.from)]?.includes(layerOf(edge.to)));
    expect(show(wrong)).toEqual([]);
  });

  it("keeps commands apart: a command imports commands/shared and its own folder, never another command", () => {
    const owner = (path: string) => path.split("/")[1]!.replace(/\.ts$/, "");
    // a command made of others calls their entry function (the library API), never what is in their folders
    const composes = (edge: Edge) =>
      COMPOSED_OF[owner(edge.from)]?.includes(owner(edge.to)) === true && edge.to === `commands/${owner(edge.to)}.ts`;
    const wrong = edges.filter(
      (edge) =>
        layerOf(edge.from) === "commands" &&
        layerOf(edge.to) === "commands" &&
        owner(edge.to) !== "shared" &&
        owner(edge.to) !== owner(edge.from) &&
        !composes(edge),
    );
    expect(show(wrong)).toEqual([]);
  });

  it("keeps contracts and errors.ts free of packages and node modules", () => {
    const wrong = edges.filter((edge) => ["contracts", "errors"].includes(layerOf(edge.from)) && !internal(edge));
    expect(show(wrong)).toEqual([]);
  });

  it("keeps core pure: no node: modules but string and hash helpers", () => {
    const wrong = edges.filter((edge) => {
      if (layerOf(edge.from) !== "core" || !edge.to.startsWith("node:")) return false;
      const allowed = CORE_NODE[edge.to];
      return allowed === undefined || (allowed !== "all" && !edge.names.every((name) => allowed.includes(name)));
    });
    expect(show(wrong)).toEqual([]);
  });

  it("enters core/pii, core/json and core/schema through their index", () => {
    const wrong = edges.filter((edge) =>
      SURFACES.some(
        (folder) =>
          edge.to.startsWith(`${folder}/`) && !edge.from.startsWith(`${folder}/`) && edge.to !== `${folder}/index.ts`,
      ),
    );
    expect(show(wrong)).toEqual([]);
  });

  it("keeps core/pii's stages in order", () => {
    const wrong = edges.filter((edge) => {
      if (!edge.from.startsWith("core/pii/") || !edge.to.startsWith("core/pii/")) return false;
      return PII_STAGES.indexOf(piiStage(edge.to)) > PII_STAGES.indexOf(piiStage(edge.from));
    });
    expect(show(wrong)).toEqual([]);
  });

  it("uses ajv only behind the validator factory", () => {
    const wrong = edges.filter(
      (edge) => /^ajv(?:-formats)?(?:\/|$)/.test(edge.to) && !edge.from.startsWith("core/schema/"),
    );
    expect(show(wrong)).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map<string, string[]>();
    for (const edge of edges.filter(internal)) graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
    // Tarjan's strongly connected components: every component of more than one file is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const connect = (file: string): void => {
      index.set(file, next);
      low.set(file, next++);
      stack.push(file);
      onStack.add(file);
      for (const to of graph.get(file) ?? []) {
        if (!index.has(to)) {
          connect(to);
          low.set(file, Math.min(low.get(file)!, low.get(to)!));
        } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== file);
        if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
      }
    };
    for (const file of files) if (!index.has(file)) connect(file);
    expect(cycles).toEqual([]);
  });
});
