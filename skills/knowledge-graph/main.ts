// Write facts into the memory server's graph, then answer a query with the matching nodes and their neighbours.
import { createEntities, createRelations, openNodes, searchNodes } from "servers/memory";

interface Input {
  entities?: { name: string; type: string; observations?: string[] }[];
  relations?: { from: string; to: string; type: string }[];
  query: string;
  limit?: number;
}

interface Entity {
  name: string;
  entityType: string;
  observations: string[];
}
interface Relation {
  from: string;
  to: string;
  relationType: string;
}
interface Graph {
  entities: Entity[];
  relations: Relation[];
}

export async function run(input: Input) {
  const entities = input.entities ?? [];
  const relations = input.relations ?? [];
  const created = { entities: 0, relations: 0 };
  if (entities.length > 0) {
    const made = (await createEntities({
      entities: entities.map((e) => ({ name: e.name, entityType: e.type, observations: e.observations ?? [] })),
    })) as { entities?: Entity[] } | Entity[];
    created.entities = (Array.isArray(made) ? made : (made.entities ?? [])).length;
  }
  if (relations.length > 0) {
    const made = (await createRelations({
      relations: relations.map((r) => ({ from: r.from, to: r.to, relationType: r.type })),
    })) as { relations?: Relation[] } | Relation[];
    created.relations = (Array.isArray(made) ? made : (made.relations ?? [])).length;
  }

  const found = (await searchNodes({ query: input.query })) as Graph;
  const names = found.entities.map((e) => e.name).slice(0, input.limit ?? 10);
  // search_nodes and open_nodes each return the relations touching their nodes; merge them without duplicates.
  const opened = names.length > 0 ? ((await openNodes({ names })) as Graph) : { entities: [], relations: [] };
  const all = [...found.relations, ...opened.relations];
  const seen = new Set<string>();
  const edges = all.filter((r) => {
    const key = `${r.from}\u0000${r.relationType}\u0000${r.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const matches = opened.entities.map((e) => ({
    name: e.name,
    type: e.entityType,
    observations: e.observations,
    outgoing: edges.filter((r) => r.from === e.name).map((r) => `${r.relationType} ${r.to}`),
    incoming: edges.filter((r) => r.to === e.name).map((r) => `${r.from} ${r.relationType}`),
  }));
  return { query: input.query, created, matches };
}
