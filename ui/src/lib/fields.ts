// Start-node inputs and end-node outputs as editable rows, and the document changes their edits make.
import { updateNode } from './flowGraph';
import type { FlowDoc, Json, JsonObject } from './types';

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'];

export interface FieldRow {
  name: string;
  type: string;
  title?: string;
  required?: boolean;
  format?: string;
  default?: Json;
}

const key = (type: string) => (type === 'end' ? 'outputs' : 'inputs');

/** The rows of a start node's inputs or an end node's outputs, in their order. */
export function fieldRows(doc: FlowDoc, nodeId: string): FieldRow[] {
  const node = doc.nodes.find((n) => n.id === nodeId)!;
  const fields = (node.settings?.[key(node.type)] ?? {}) as Record<string, JsonObject>;
  return Object.entries(fields)
    .map(([name, spec], i) => ({ name, spec, order: (spec['x-order'] ?? spec.order ?? 1000 + i) as number }))
    .sort((a, b) => a.order - b.order)
    .map(({ name, spec }) => {
      const row: FieldRow = { name, type: typeof spec.type === 'string' ? spec.type : 'string' };
      if (typeof spec.title === 'string') row.title = spec.title;
      if (spec.required === true) row.required = true;
      if (typeof spec.format === 'string') row.format = spec.format;
      if (spec.default !== undefined) row.default = spec.default;
      return row;
    });
}

/**
 * Writes the rows back as the node's fields (x-order from the row order). Renamed fields (`renames`: old -> new)
 * carry their edges and saved sample data along; removed fields lose their edges and data.
 */
export function writeFields(doc: FlowDoc, nodeId: string, rows: FieldRow[], renames: Map<string, string> = new Map()): FlowDoc {
  const node = doc.nodes.find((n) => n.id === nodeId)!;
  const isStart = node.type === 'start';
  const fields: JsonObject = {};
  rows.forEach((r, i) => {
    const spec: JsonObject = { type: r.type };
    if (r.title) spec.title = r.title;
    if (isStart && r.required) spec.required = true;
    if (isStart && r.format) spec.format = r.format;
    if (isStart && r.default !== undefined) spec.default = r.default;
    if (isStart) spec['x-order'] = i;
    fields[r.name] = spec;
  });
  const kept = new Set(rows.map((r) => r.name));
  const rename = (f: string) => renames.get(f) ?? f;
  let next = updateNode(doc, nodeId, (n) => {
    const settings: JsonObject = { ...(n.settings ?? {}), [key(n.type)]: fields };
    if (isStart && settings.data && typeof settings.data === 'object' && !Array.isArray(settings.data)) {
      const data: JsonObject = {};
      for (const [k, v] of Object.entries(settings.data)) if (kept.has(rename(k))) data[rename(k)] = v;
      settings.data = data;
    }
    return { ...n, settings };
  });
  next = { ...next, edges: next.edges.map((e) => {
    if (isStart && e.from_node === nodeId) {
      return { ...e, fields_mapping: e.fields_mapping.map((m) => ({ ...m, from_field: renameHead(m.from_field, rename) }))
        .filter((m) => kept.has(m.from_field.split('.')[0])) };
    }
    if (!isStart && e.to_node === nodeId) {
      return { ...e, fields_mapping: e.fields_mapping.map((m) => ({ ...m, to_field: rename(m.to_field) }))
        .filter((m) => m.to_field === '@' || kept.has(m.to_field)) };
    }
    return e;
  }).filter((e) => e.fields_mapping.length > 0) };
  return next;
}

const renameHead = (path: string, rename: (f: string) => string) => {
  const [head, ...rest] = path.split('.');
  return [rename(head), ...rest].join('.');
};

/** Why a field name cannot be used, or null. */
export function fieldNameProblem(rows: FieldRow[], index: number, name: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'use letters, digits and _ (not first a digit)';
  if (rows.some((r, i) => i !== index && r.name === name)) return `there is already a field ${name}`;
  return null;
}
