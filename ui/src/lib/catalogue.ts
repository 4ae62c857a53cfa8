// Node types as the server describes them (GET /api/v1/node-types): the one source of their ports, fields and
// field types; helpers to read a node's fields from them.
import type { DocNode, NodeTypeInfo } from './types';

/** The type an imported Scade node Weft has no node for becomes: shown as "needs replacing". */
export const PLACEHOLDER = 'scade_placeholder';

export const CATEGORY_ORDER = ['flow', 'ai', 'data', 'logic', 'integration', 'other'];

/** The type's entry; a type the server does not know (a plugin removed since) is shown as a bare node. */
export function typeInfo(types: NodeTypeInfo[], type: string): NodeTypeInfo {
  return types.find((t) => t.type === type)
    ?? { type, title: type, category: 'other', description: '', ports: ['success'], inputs: [], outputs: [], settings_schema: { type: 'object' } };
}

function declared(node: DocNode, key: 'inputs' | 'outputs'): [string, string][] {
  const fields = node.settings?.[key];
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return [];
  return Object.entries(fields)
    .map(([name, spec], i) => {
      const s = (spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : {}) as Record<string, unknown>;
      const order = typeof s['x-order'] === 'number' ? s['x-order'] : typeof s.order === 'number' ? s.order : 1000 + i;
      return { name, type: typeof s.type === 'string' ? s.type : '', order: order as number };
    })
    .sort((a, b) => a.order - b.order)
    .map((f) => [f.name, f.type]);
}

/** A start node's input fields or an end node's output fields, in their order, with their types. */
export function declaredFields(node: DocNode): [string, string][] {
  return declared(node, node.type === 'end' ? 'outputs' : 'inputs');
}

/** The output fields a node offers to connect from, with their types when known. */
export function outputFields(node: DocNode, info: NodeTypeInfo): [string, string][] {
  if (node.type === 'end') return [];
  if (node.type === 'start') return declared(node, 'inputs');
  const fields: [string, string][] = info.outputs.map((f) => [f, info.output_types?.[f] ?? '']);
  if (info.ports.length > 1 || node.on_error === 'continue') {
    for (const port of info.ports.length > 1 ? info.ports : []) fields.push([port, 'object']);
  }
  if (node.on_error === 'continue') fields.push(['error', 'object']);
  if (fields.length === 0) fields.push([info.ports[0] ?? 'success', 'object']);
  return fields;
}

/** The input fields a node declares (end: its outputs; others: the catalogue's named inputs). */
export function inputFields(node: DocNode, info: NodeTypeInfo): [string, string][] {
  if (node.type === 'start') return [];
  if (node.type === 'end') return declared(node, 'outputs');
  return info.inputs.map((f) => [f, '']);
}
