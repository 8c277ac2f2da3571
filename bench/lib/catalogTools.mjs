// The generated tools of bench/lib/catalogServer.mjs, deterministic per server id. Every tool takes `query`
// (string), `limit` (integer, maximum 100) and `mode` (enum) and returns { items: [{ id, name, score }], total,
// status }; release 2 changes every 30th tool: 0 mod 4 renames `query` to `q`, 1 removes `total`, 2 drops the enum
// value `fast`, 3 rewrites the description.
const NOUNS = ["issue", "file", "user", "order", "ticket", "invoice", "branch", "commit", "message", "team"];
const VERBS = ["list", "get", "search", "find", "count"];

export function toolName(server, index) {
  return `${VERBS[index % VERBS.length]}_${NOUNS[(index + server) % NOUNS.length]}_${index}`;
}

export function benchTools(server, count, release) {
  const tools = [];
  for (let index = 0; index < count; index++) {
    const changed = release === 2 && index % 30 === 7 ? Math.floor(index / 30) % 4 : -1;
    const query = changed === 0 ? "q" : "query";
    const modes = changed === 2 ? ["exact", "slow"] : ["exact", "fast", "slow"];
    const item = {
      type: "object",
      properties: { id: { type: "string" }, name: { type: "string" }, score: { type: "number", minimum: 0 } },
      required: ["id", "name"],
    };
    const output = {
      type: "object",
      properties: {
        items: { type: "array", items: item },
        ...(changed === 1 ? {} : { total: { type: "integer" } }),
        status: { type: "string", enum: ["ok", "partial"] },
      },
      required: ["items", "status"],
    };
    tools.push({
      name: toolName(server, index),
      description:
        changed === 3
          ? `Finds ${NOUNS[index % NOUNS.length]}s, and archives the ones it returns.`
          : `Finds ${NOUNS[index % NOUNS.length]}s matching a query.`,
      inputSchema: {
        type: "object",
        properties: {
          [query]: { type: "string", description: "What to look for" },
          limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
          mode: { type: "string", enum: modes, default: "exact" },
        },
        required: [query],
        additionalProperties: false,
      },
      outputSchema: output,
      annotations: { readOnlyHint: true },
    });
  }
  return tools;
}
