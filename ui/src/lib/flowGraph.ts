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
export function newInputName(doc: FlowDoc, types: NodeTypeInfo[], target: string, fromField: string): string {
  const to = node(doc, target)!;
  const taken = new Set(handlesOf(doc, to, typeInfo(types, to.type)).inputs.map(([f]) => f));
  const base = (fromField.split('.').pop() || 'input').replace(/[^A-Za-z0-9_]/g, '_');
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
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
    toField = newInputName(doc, types, target, fromField);
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
export function problemsByNode(doc: FlowDoc, problems: Problem[]): { byNode: Map<string, string[]>; general: string[] } {
  const byNode = new Map<string, string[]>();
  const general: string[] = [];
  const add = (id: string, text: string) => byNode.set(id, [...(byNode.get(id) ?? []), text]);
  for (const p of problems) {
    const n = /^nodes\[(\d+)\]\.?(.*)$/.exec(p.field);
    const e = /^edges\[(\d+)\]\.?(.*)$/.exec(p.field);
    if (n && doc.nodes[+n[1]]) {
      add(doc.nodes[+n[1]].id, n[2] ? `${n[2]}: ${p.message}` : p.message);
    } else if (e && doc.edges[+e[1]]) {
      const edge = doc.edges[+e[1]];
      add(edge.to_node, `edge from ${edge.from_node}: ${e[2] ? `${e[2]}: ` : ''}${p.message}`);
    } else {
      general.push(p.field ? `${p.field}: ${p.message}` : p.message);
    }
  }
  return { byNode, general };
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
