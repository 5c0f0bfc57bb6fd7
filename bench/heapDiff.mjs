// node --max-old-space-size=8000 bench/heapDiff.mjs before.heapsnapshot after.heapsnapshot [per] [kind]
// What grew between two heap snapshots (from BENCH_HEAP_SNAPSHOTS=dir npm run bench -- --only documents):
// self size and count by kind of object (constructor, closure or string), divided by `per`
// (the number of documents), the largest growth first. With `kind` (as printed, e.g. "array: "),
// the growth of that kind grouped by what holds it instead: the holder's kind and the name of
// its reference. Self sizes: it says which objects there are more of and who points at them,
// not retained sizes; open the snapshots in DevTools for those.
import { readFileSync } from 'node:fs';

const [beforeFile, afterFile, perArg = '1', focus] = process.argv.slice(2);
const per = Number(perArg);
const NAMELESS = ['string', 'concatenated string', 'sliced string', 'number', 'heap number'];

function totals(file) {
  const { snapshot, nodes, edges, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const edgeFields = snapshot.meta.edge_fields;
  const edgeTypes = snapshot.meta.edge_types[0];
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f));
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f));
  const kindOf = (i) => {
    const type = types[nodes[i + typeAt]];
    // Strings and numbers by type alone: their names are their contents.
    return NAMELESS.includes(type) ? `(${type})` : `${type}: ${strings[nodes[i + nameAt]]}`.slice(0, 90);
  };
  const byKind = new Map();
  const add = (key, size) => {
    const t = byKind.get(key) ?? { size: 0, count: 0 };
    t.size += size;
    t.count += 1;
    byKind.set(key, t);
  };
  if (!focus) {
    for (let i = 0; i < nodes.length; i += fields.length) add(kindOf(i), nodes[i + sizeAt]);
    return byKind;
  }
  // Each node of the focused kind, counted once, under its first holder (weak references aside).
  const counted = new Set();
  for (let i = 0, e = 0; i < nodes.length; i += fields.length) {
    const holder = kindOf(i);
    for (let k = 0; k < nodes[i + edgeCountAt]; k++, e += edgeFields.length) {
      const edgeType = edgeTypes[edges[e + edgeTypeAt]];
      if (edgeType === 'weak') continue;
      const to = edges[e + toAt];
      if (counted.has(to) || kindOf(to) !== focus) continue;
      counted.add(to);
      const name = ['element', 'hidden'].includes(edgeType) ? `[${edgeType}]` : strings[edges[e + edgeNameAt]];
      add(`${holder} .${name}`, nodes[to + sizeAt]);
    }
  }
  return byKind;
}

const before = totals(beforeFile);
const after = totals(afterFile);
const rows = [...after.entries()].map(([kind, a]) => {
  const b = before.get(kind) ?? { size: 0, count: 0 };
  return { kind, bytes: (a.size - b.size) / per, count: (a.count - b.count) / per };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((n, r) => n + r.bytes, 0);
console.log(`growth${focus ? ` of "${focus}"` : ''}: ${(total / 1024).toFixed(1)} kB per unit (self sizes, ${per} units)`);
for (const r of rows.slice(0, Number(process.env.ROWS ?? 40)))
  console.log(`${(r.bytes / 1024).toFixed(2).padStart(9)} kB  ${r.count.toFixed(1).padStart(8)} ×  ${r.kind}`);
