/**
 * The bundled servers most tests spawn (test/helpers/testServers.ts) are the servers they stand for: the same
 * serverInfo, instructions and tools (schemas, annotations, descriptions) as node_modules/.bin's, the same answer to a
 * call that reads the files beside the bundle, and the same fixture servers.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO } from "../helpers/cli.js";
import { fixtureServer, type NpmServer, npmServer } from "../helpers/testServers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-test-servers-check-"));
  await writeFile(join(dir, "a.txt"), "alpha\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function connect(command: string, args: string[], env: Record<string, string> = {}) {
  const client = new Client({ name: "test-servers", version: "1.0.0" });
  const transport = new StdioClientTransport({
    command,
    args,
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "ignore",
  });
  await client.connect(transport);
  return client;
}

/** What a client sees of a server: its identity, instructions, tools, and the answer to one call. */
async function observe(command: string, args: string[], call: { name: string; arguments: object }, env = {}) {
  const client = await connect(command, args, env);
  try {
    const { tools } = await client.listTools();
    return {
      info: client.getServerVersion(),
      instructions: client.getInstructions(),
      tools,
      call: await client.callTool(call),
    };
  } finally {
    await client.close();
  }
}

const CASES: [NpmServer, string[], { name: string; arguments: object }][] = [
  ["filesystem", ["DIR"], { name: "read_text_file", arguments: { path: "DIR/a.txt" } }],
  ["memory", [], { name: "read_graph", arguments: {} }],
  ["everything", ["stdio"], { name: "echo", arguments: { message: "hi" } }],
];

describe("a bundled npm server is the server of node_modules/.bin", () => {
  test.each(CASES)("%s: serverInfo, instructions, tools and a call", async (name, args, call) => {
    const fill = (text: string) => text.replaceAll("DIR", dir);
    const realArgs = args.map(fill);
    const realCall = JSON.parse(fill(JSON.stringify(call)));
    const env = { MEMORY_FILE_PATH: join(dir, "memory.jsonl") };
    const bin = join(REPO, "node_modules", ".bin", `mcp-server-${name}`);
    const [real, bundled] = await Promise.all([
      observe(bin, realArgs, realCall, env),
      observe(npmServer(name), realArgs, realCall, env),
    ]);
    expect(bundled).toEqual(real);
    expect(real.tools.length).toBeGreaterThan(0);
    expect(real.call.isError).toBeFalsy();
  });

  test("everything's instructions come from its docs, found beside the bundle as beside its own file", async () => {
    const client = await connect(npmServer("everything"), ["stdio"]);
    try {
      expect(client.getInstructions()).not.toMatch(/not loaded/);
      const { resources } = await client.listResources();
      expect(resources.map((resource) => resource.uri)).toContain("demo://resource/static/document/instructions.md");
    } finally {
      await client.close();
    }
  });
});

describe("a bundled fixture server is the fixture", () => {
  test.each([
    ["weather.mjs", { name: "get_forecast", arguments: { city: "Oslo" } }],
    ["manyTools.mjs", undefined],
    ["crashy.mjs", undefined],
  ] as const)("%s", async (file, call) => {
    const original = join(REPO, "test", "fixtures", "servers", file);
    expect(fixtureServer(file)).not.toBe(original);
    const see = async (path: string) => {
      const client = await connect(process.execPath, [path]);
      try {
        return {
          info: client.getServerVersion(),
          tools: (await client.listTools()).tools,
          call: call ? await client.callTool(call) : undefined,
        };
      } finally {
        await client.close();
      }
    };
    const [real, bundled] = await Promise.all([see(original), see(fixtureServer(file))]);
    expect(bundled).toEqual(real);
  });

  test("a bundle starts from its code cache, which its first start writes beside it", async () => {
    // a fixture of its own: the shared bundles' caches may have been written by other files' starts already
    const copy = await mkdtemp(join(tmpdir(), "skills-test-servers-cache-"));
    try {
      const launcher = join(copy, "weather.cjs");
      await cp(fixtureServer("weather.mjs"), launcher);
      await cp(fixtureServer("weather.mjs").replace(/\.cjs$/, ".body.cjs"), join(copy, "weather.body.cjs"));
      const cacheFile = join(copy, "weather.body.cjs.v8");
      const cacheSize = () =>
        readFile(cacheFile).then(
          (data) => data.length,
          () => 0,
        );
      /** A start's tools; the server stays up until `until` holds (a start writes its cache at 0.2 s) or 0.4 s. */
      const see = async (until?: () => Promise<boolean>) => {
        const client = await connect(process.execPath, [launcher]);
        try {
          const tools = (await client.listTools()).tools.map((tool) => tool.name);
          const deadline = Date.now() + (until ? 10_000 : 400);
          while (Date.now() < deadline && !(await until?.())) await new Promise((resolve) => setTimeout(resolve, 50));
          return tools;
        } finally {
          await client.close();
        }
      };
      const first = await see(async () => (await cacheSize()) > 0);
      const cache = await readFile(cacheFile);
      expect(cache.length).toBeGreaterThan(10_000);
      // the second start takes it (a start writes one only when it had none, or V8 refused it)
      expect(await see()).toEqual(first);
      expect((await readFile(cacheFile)).equals(cache)).toBe(true);
      // a cache V8 refuses (another source's) is replaced, and the server starts all the same
      await writeFile(cacheFile, cache.subarray(0, 64));
      expect(await see(async () => (await cacheSize()) > 64)).toEqual(first);
      expect(await cacheSize()).toBeGreaterThan(10_000);
      expect(first).toContain("get_forecast");
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  test("a fixture that loads no SDK is not bundled: its own file", () => {
    expect(fixtureServer("exitAtOnce.mjs")).toBe(join(REPO, "test", "fixtures", "servers", "exitAtOnce.mjs"));
  });
});
