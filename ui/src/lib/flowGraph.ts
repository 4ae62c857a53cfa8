// The flow document <-> the canvas: one canvas edge per field mapping, from an output-field handle to an
// input-field handle. Every function here is pure; the builder keeps the document as its one source of truth.
import { declaredFields, inputFields, outputFields, typeInfo } from './catalogue';
import type { DocEdge, DocNode, FlowDoc, JsonObject, NodeTypeInfo, Problem } from './types';

export const OUT = 'o:';
export const IN = 'i:';
/** The input handle that makes a new input field named after the field dropped on it. */
export const NEW_INPUT = 'i:+';

export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  targetHandle: string;
  label?: string;
}

export interface Handles { inputs: [string, string][]; outputs: [string, string][] }

export const edgeId = (from: string, fromField: string, to: string, toField: string) =>
  `${from}.${fromField}>${to}.${toField}`;

export function canvasEdges(doc: FlowDoc): CanvasEdge[] {
  const edges: CanvasEdge[] = [];
  for (const e of doc.edges) {
    for (const m of e.fields_mapping) {
      edges.push({ id: edgeId(e.from_node, m.from_field, e.to_node, m.to_field), source: e.from_node, target: e.to_node,
        sourceHandle: OUT + m.from_field, targetHandle: IN + m.to_field });
    }
  }
  return edges;
}

/** The handles a node shows: its declared fields plus every field an edge of the document uses. */
export function handlesOf(doc: FlowDoc, node: DocNode, info: NodeTypeInfo): Handles {
  const outputs = [...outputFields(node, info)];
  const inputs = [...inputFields(node, info)];
  for (const e of doc.edges) {
    for (const m of e.fields_mapping) {
      if (e.from_node === node.id && !outputs.some(([f]) => f === m.from_field)) outputs.push([m.from_field, '']);
      if (e.to_node === node.id && !inputs.some(([f]) => f === m.to_field)) inputs.push([m.to_field, '']);
    }
  }
  return { inputs, outputs };
}

const node = (doc: FlowDoc, id: string) => doc.nodes.find((n) => n.id === id);

/** A readable id not yet used: `template`, then `template_2`, ... */
export function newNodeId(doc: FlowDoc, type: string): string {
  const base = type.replace(/[^A-Za-z0-9_-]/g, '_') || 'node';
  if (!node(doc, base)) return base;
  for (let i = 2; ; i++) if (!node(doc, `${base}_${i}`)) return `${base}_${i}`;
}

export function defaultSettings(type: string): JsonObject {
  if (type === 'start') return { inputs: {} };
  if (type === 'end') return { outputs: {} };
  if (type === 'template') return { template: '' };
  if (type === 'transform') return { expression: '$' };
  if (type === 'http') return { method: 'GET', url: 'https://example.com' };
  return {};
}

export function addNode(doc: FlowDoc, type: string, position: { x: number; y: number }): { doc: FlowDoc; id: string } {
  const id = newNodeId(doc, type);
  const added: DocNode = { id, type, settings: defaultSettings(type), position: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { doc: { ...doc, nodes: [...doc.nodes, added] }, id };
}

export function updateNode(doc: FlowDoc, id: string, change: (n: DocNode) => DocNode): FlowDoc {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

export function moveNodes(doc: FlowDoc, positions: Map<string, { x: number; y: number }>): FlowDoc {
  return { ...doc, nodes: doc.nodes.map((n) => {
    const p = positions.get(n.id);
    return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
  }) };
}

export function removeNodes(doc: FlowDoc, ids: Set<string>): FlowDoc {
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !ids.has(n.id)),
    edges: doc.edges.filter((e) => !ids.has(e.from_node) && !ids.has(e.to_node)),
    default_start_node_id: doc.default_start_node_id && ids.has(doc.default_start_node_id) ? undefined : doc.default_start_node_id,
    default_end_node_id: doc.default_end_node_id && ids.has(doc.default_end_node_id) ? undefined : doc.default_end_node_id,
  };
}

export function removeMappings(doc: FlowDoc, edgeIds: Set<string>): FlowDoc {
  const edges: DocEdge[] = [];
  for (const e of doc.edges) {
    const kept = e.fields_mapping.filter((m) => !edgeIds.has(edgeId(e.from_node, m.from_field, e.to_node, m.to_field)));
    if (kept.length > 0) edges.push(kept.length === e.fields_mapping.length ? e : { ...e, fields_mapping: kept });
  }
  return { ...doc, edges };
}

/** Whether `to` can reach `from` already, so that an edge from -> to would close a cycle. */
function reaches(doc: FlowDoc, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (at === to) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const e of doc.edges) if (e.from_node === at) stack.push(e.to_node);
  }
  return false;
}

const compatible = (out: string, into: string) =>
  !out || !into || out === into || (out === 'integer' && into === 'number');

/** Why a connection is refused, or null when it is fine. Handles are canvas handle ids (`o:text`, `i:name`). */
export function connectionProblem(doc: FlowDoc, types: NodeTypeInfo[], source: string, sourceHandle: string,
                                  target: string, targetHandle: string): string | null {
  const from = node(doc, source);
  const to = node(doc, target);
  if (!from || !to) return 'both ends must be nodes of this flow';
  if (source === target) return 'a node cannot feed itself';
  if (to.type === 'start') return 'a start node takes no inputs';
  if (from.type === 'end') return 'an end node has no outputs';
  if (reaches(doc, target, source)) return `that would make a cycle: ${target} already leads to ${source}`;
  const fromField = sourceHandle.slice(OUT.length);
  const toField = targetHandle === NEW_INPUT ? null : targetHandle.slice(IN.length);
  if (toField !== null && doc.edges.some((e) => e.from_node === source && e.to_node === target
      && e.fields_mapping.some((m) => m.from_field === fromField && m.to_field === toField))) {
    return `${source}.${fromField} is already connected to ${target}.${toField}`;
  }
  if (toField === null) return null;
  const outType = handlesOf(doc, from, typeInfo(types, from.type)).outputs.find(([f]) => f === fromField)?.[1] ?? '';
  const inType = handlesOf(doc, to, typeInfo(types, to.type)).inputs.find(([f]) => f === toField)?.[1] ?? '';
  if (!compatible(outType, inType)) {
    return `${source}.${fromField} is ${article(outType)} ${outType}, but ${target}.${toField} takes ${article(inType)} ${inType}`;
  }
  return null;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** The input field name a drop on the "+" handle makes: the source field's last part, made unique. */
export function newInputName(doc: FlowDoc, types: NodeTypeInfo[], target: string, fromField: string, source?: string): string {
  const to = node(doc, target)!;
  const taken = new Set(handlesOf(doc, to, typeInfo(types, to.type)).inputs.map(([f]) => f));
  const base = inputBase(doc, types, fromField, source);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Names a port (an If's `true`/`false`, `error`) carries no field name: its inputs passed on are the source's data. */
const NOT_A_NAME = new Set(['true', 'false', 'null', 'success']);

function inputBase(doc: FlowDoc, types: NodeTypeInfo[], fromField: string, source?: string): string {
  const from = source ? node(doc, source) : undefined;
  const last = (fromField.split('.').pop() || 'input').replace(/[^A-Za-z0-9_]/g, '_');
  const isPort = from ? typeInfo(types, from.type).ports.includes(fromField) && !typeInfo(types, from.type).outputs.includes(fromField)
    : false;
  if (!isPort && !NOT_A_NAME.has(last) && !/^[0-9]/.test(last)) return last;
  if (fromField === 'error') return 'error';
  return from ? `${from.id.replace(/[^A-Za-z0-9_]/g, '_')}_data` : 'data';
}

/**
 * Connects source.fromField to target.toField (or to a new input field on the "+" handle; on an end node that
 * also declares the output field, with the source's type when known). Returns the new document.
 */
export function connect(doc: FlowDoc, types: NodeTypeInfo[], source: string, sourceHandle: string, target: string,
                        targetHandle: string): FlowDoc {
  const fromField = sourceHandle.slice(OUT.length);
  let next = doc;
  let toField = targetHandle.slice(IN.length);
  if (targetHandle === NEW_INPUT) {
    toField = newInputName(doc, types, target, fromField, source);
    const to = node(doc, target)!;
    if (to.type === 'end') {
      const from = node(doc, source)!;
      const type = handlesOf(doc, from, typeInfo(types, from.type)).outputs.find(([f]) => f === fromField)?.[1];
      next = updateNode(next, target, (n) => {
        const outputs = { ...((n.settings?.outputs as JsonObject) ?? {}) };
        outputs[toField] = { type: type || 'string' };
        return { ...n, settings: { ...(n.settings ?? {}), outputs } };
      });
    }
  }
  const mapping = { from_field: fromField, to_field: toField };
  const existing = next.edges.findIndex((e) => e.from_node === source && e.to_node === target);
  const edges = existing >= 0
    ? next.edges.map((e, i) => (i === existing ? { ...e, fields_mapping: [...e.fields_mapping, mapping] } : e))
    : [...next.edges, { from_node: source, to_node: target, fields_mapping: [mapping] }];
  return { ...next, edges };
}

/** Positions for nodes that have none (an imported file): columns by depth from the start nodes. */
export function layout(doc: FlowDoc): FlowDoc {
  if (doc.nodes.every((n) => n.position)) return doc;
  const depth = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const e of doc.edges) incoming.set(e.to_node, [...(incoming.get(e.to_node) ?? []), e.from_node]);
  const depthOf = (id: string, trail: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (trail.has(id)) return 0;
    trail.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map((p) => depthOf(p, trail))) + 1;
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  return { ...doc, nodes: doc.nodes.map((n) => {
    const d = depthOf(n.id, new Set());
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    return n.position ? n : { ...n, position: { x: 60 + d * 300, y: 60 + row * 180 } };
  }) };
}

/**
 * Sorts the problems of a refused document: those under nodes[i] or edges[i] go to the node concerned (an edge's
 * to its target), the rest stay general.
 */
export function problemsByNode(doc: FlowDoc, problems: Problem[]): { byNode: Map<string, string[]>; general: string[];
    unconnected: Set<string> } {
  const byNode = new Map<string, string[]>();
  const general: string[] = [];
  const unconnected = new Set<string>();
  const add = (id: string, text: string) => byNode.set(id, [...(byNode.get(id) ?? []), text]);
  for (const p of problems) {
    const n = /^nodes\[(\d+)\]\.?(.*)$/.exec(p.field);
    const e = /^edges\[(\d+)\]\.?(.*)$/.exec(p.field);
    if (n && doc.nodes[+n[1]] && !n[2] && isUnconnected(p.message)) {
      // a node just added: shown as "not connected yet", not as an error (the server's text names to_field "@")
      unconnected.add(doc.nodes[+n[1]].id);
    } else if (n && doc.nodes[+n[1]]) {
      add(doc.nodes[+n[1]].id, n[2] ? `${n[2]}: ${p.message}` : p.message);
    } else if (e && doc.edges[+e[1]]) {
      const edge = doc.edges[+e[1]];
      add(edge.to_node, `edge from ${edge.from_node}: ${e[2] ? `${e[2]}: ` : ''}${p.message}`);
    } else {
      general.push(p.field ? `${p.field}: ${p.message}` : p.message);
    }
  }
  return { byNode, general, unconnected };
}

/** Ids of the nodes of a type, for the Overview's default start and end choices. */
export const nodesOfType = (doc: FlowDoc, type: string) => doc.nodes.filter((n) => n.type === type).map((n) => n.id);

/** The start node a run uses by default: the document's default, or its only start node. */
export function defaultNode(doc: FlowDoc, type: 'start' | 'end'): string | undefined {
  const chosen = type === 'start' ? doc.default_start_node_id : doc.default_end_node_id;
  if (chosen && node(doc, chosen)) return chosen;
  return nodesOfType(doc, type)[0];
}

/** Upstream node ids of a node, nearest first: what its `{{ }}` references may name. */
export function upstream(doc: FlowDoc, id: string): string[] {
  const order: string[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const e of doc.edges) {
      if (e.to_node === at && !order.includes(e.from_node) && e.from_node !== id) {
        order.push(e.from_node);
        queue.push(e.from_node);
      }
    }
  }
  return order;
}

export { declaredFields };

/** The nearest spot at or below `p` where a new node does not cover another (nodes are about 240 x 110). */
export function freeSpot(doc: FlowDoc, p: { x: number; y: number }): { x: number; y: number } {
  const at = { x: p.x, y: p.y };
  for (let tries = 0; tries < 50; tries++) {
    const hit = doc.nodes.some((n) => n.position && Math.abs(n.position.x - at.x) < 250 && Math.abs(n.position.y - at.y) < 130);
    if (!hit) return at;
    at.y += 140;
  }
  return at;
}

/** What the builder shows on an edge: a type mismatch (`error`) or a doubtful shape (`warning`), in words. */
export interface EdgeCheck { level: 'error' | 'warning'; message: string }

/**
 * Checks every edge of the document against the fields' current types, so a changed output or input type shows
 * on the edges already drawn; and warns where two or more edges lead into one input field (only one value is kept:
 * fine for the two branches of an If, a race otherwise). Keyed by canvas edge id.
 */
export function edgeChecks(doc: FlowDoc, types: NodeTypeInfo[]): Map<string, EdgeCheck> {
  const checks = new Map<string, EdgeCheck>();
  const handles = new Map<string, Handles>();
  const handlesFor = (id: string) => {
    let h = handles.get(id);
    const n = node(doc, id);
    if (!h && n) { h = handlesOf(doc, n, typeInfo(types, n.type)); handles.set(id, h); }
    return h;
  };
  const into = new Map<string, string[]>();
  for (const e of doc.edges) {
    for (const m of e.fields_mapping) {
      const id = edgeId(e.from_node, m.from_field, e.to_node, m.to_field);
      if (m.to_field === '@') continue;
      into.set(`${e.to_node}.${m.to_field}`, [...(into.get(`${e.to_node}.${m.to_field}`) ?? []), id]);
      const outType = handlesFor(e.from_node)?.outputs.find(([f]) => f === m.from_field)?.[1] ?? '';
      const inType = handlesFor(e.to_node)?.inputs.find(([f]) => f === m.to_field)?.[1] ?? '';
      if (!compatible(outType, inType)) {
        checks.set(id, { level: 'error', message: `${e.from_node}.${m.from_field} is ${article(outType)} ${outType}, `
          + `but ${e.to_node}.${m.to_field} takes ${article(inType)} ${inType}` });
      }
    }
  }
  for (const [field, ids] of into) {
    if (ids.length < 2) continue;
    const sources = ids.map((id) => id.slice(0, id.indexOf('>')));
    const message = `${ids.length} edges lead into ${field} (from ${sources.join(', ')}): only one value arrives; `
      + 'fine when they come from the two branches of an If, else connect one';
    for (const id of ids) if (!checks.has(id)) checks.set(id, { level: 'warning', message });
  }
  return checks;
}

/** The server's problem for a node nothing feeds yet: not an error in a flow being drawn, only a step still to do. */
export const isUnconnected = (message: string) => /has no incoming edge/.test(message);

/** A node's size on the canvas, about: what placement keeps apart. */
export const NODE_W = 240;
export const NODE_H = 120;

/**
 * Where a node added from the palette goes: beside `anchor` (the selected node) when that spot is free and in
 * view, else the free spot nearest the centre of `view` (the visible part of the canvas, in flow coordinates);
 * always inside the view, so the new node is never off-screen.
 */
export function placeNew(doc: FlowDoc, view: { x: number; y: number; width: number; height: number },
                         anchor?: { x: number; y: number }): { x: number; y: number } {
  const minX = view.x + 16;
  const minY = view.y + 16;
  const maxX = Math.max(minX, view.x + view.width - NODE_W - 16);
  const maxY = Math.max(minY, view.y + view.height - NODE_H - 16);
  const inView = (p: { x: number; y: number }) => p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY;
  const free = (p: { x: number; y: number }) => !doc.nodes.some((n) => n.position
    && Math.abs(n.position.x - p.x) < NODE_W + 10 && Math.abs(n.position.y - p.y) < NODE_H + 10);
  const round = (p: { x: number; y: number }) => ({ x: Math.round(p.x), y: Math.round(p.y) });
  if (anchor) {
    for (const dy of [0, 1, -1, 2, -2, 3, -3]) {
      const p = { x: anchor.x + NODE_W + 60, y: anchor.y + dy * (NODE_H + 20) };
      if (inView(p) && free(p)) return round(p);
    }
  }
  const centre = { x: Math.min(maxX, Math.max(minX, view.x + view.width / 2 - NODE_W / 2)),
    y: Math.min(maxY, Math.max(minY, view.y + view.height / 2 - NODE_H / 2)) };
  // rings of candidates around the centre, nearest first, kept inside the view
  for (let ring = 0; ring < 12; ring++) {
    const spots: { x: number; y: number }[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        spots.push({ x: centre.x + i * (NODE_W + 20), y: centre.y + j * (NODE_H + 20) });
      }
    }
    spots.sort((a, b) => Math.hypot(a.x - centre.x, a.y - centre.y) - Math.hypot(b.x - centre.x, b.y - centre.y));
    const found = spots.find((p) => inView(p) && free(p));
    if (found) return round(found);
  }
  return round(centre);
}
