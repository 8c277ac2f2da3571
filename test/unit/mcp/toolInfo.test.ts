/**
 * The catalog keeps each tool as its server sent it: a title inside `annotations` stays there (views, search and
 * docstrings still show it), `execution` and `icons` are kept, and the token figure counts exactly what was sent.
 */
import { afterEach, describe, expect, it } from "vitest";
import { catalogAsContext, measureTokens } from "../../../src/commands/tools.js";
import { renderSignatures } from "../../../src/core/codegen/index.js";
import { buildSearchIndex, countTokens, searchTools, viewTool } from "../../../src/core/discovery/index.js";
import { generateSdk } from "../../../src/core/codegen/index.js";
import { type ClientPool, createClientPool } from "../../../src/mcp/pool.js";
import { inMemoryWorld, rawTools } from "./inMemory.js";

const SENT = [
  {
    name: "list_issues",
    description: "List the issues of a repository.",
    inputSchema: { type: "object", properties: { repo: { type: "string" } }, required: ["repo"] },
    annotations: { title: "List issues", readOnlyHint: true },
    execution: { taskSupport: "optional" },
  },
  {
    name: "create_issue",
    title: "Create an issue",
    description: "Open a new issue.",
    icons: [{ src: "https://example.com/issue.png", mimeType: "image/png" }],
    inputSchema: { type: "object", properties: { title: { type: "string" } } },
    outputSchema: { type: "object", properties: { number: { type: "integer" } } },
    _meta: { "example.com/scope": "write" },
  },
];

const pools: ClientPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

async function listed() {
  const world = inMemoryWorld({ gh: rawTools(SENT) });
  const pool = createClientPool(world.config, { createTransport: world.createTransport });
  pools.push(pool);
  return pool.listTools();
}

describe("tools as the server sent them", () => {
  it("keeps annotations.title inside annotations, and execution, icons and _meta as sent", async () => {
    const [list, create] = await listed();
    expect(list).toEqual({ server: "gh", serverInfo: { name: "gh-server", version: "1.0.0" }, ...SENT[0] });
    expect(list!.title).toBeUndefined();
    expect(create).toEqual({ server: "gh", serverInfo: { name: "gh-server", version: "1.0.0" }, ...SENT[1] });
  });

  it("counts the tokens of exactly what the servers sent", async () => {
    const tools = await listed();
    expect(JSON.parse(catalogAsContext(tools))).toEqual(SENT);
    const stats = await measureTokens([], tools);
    expect(stats).toEqual({
      tokenizer: "o200k_base",
      answerTokens: await countTokens("[]"),
      catalogTokens: await countTokens(JSON.stringify(SENT)),
      catalogTools: 2,
    });
  });

  it("shows, searches and documents a tool by the title in its annotations", async () => {
    const [list] = await listed();
    expect(viewTool(list!, "summary")).toMatchObject({ key: "gh/list_issues", title: "List issues" });
    expect(viewTool(list!, "full", renderSignatures)).toMatchObject({ execution: { taskSupport: "optional" } });
    const index = buildSearchIndex([list!]);
    expect(searchTools(index, "list issues", { limit: 1 }).map((hit) => hit.tool.name)).toEqual(["list_issues"]);
    const module = generateSdk([list!], { lang: "python", runtime: { python: "" } }).find((file) =>
      file.path.endsWith("list_issues.py"),
    );
    expect(module?.content).toContain('    """List issues\n\n    List the issues of a repository.');
  });
});
