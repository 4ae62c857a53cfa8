import type { FlowDoc } from './types';

/** The document without what publishing leaves out (positions, pinned outputs): a moved or pinned node is no change to publish. */
export function meaning(doc: FlowDoc): string {
  return JSON.stringify({ ...doc, nodes: doc.nodes.map(({ position: _position, pinned: _pinned, ...rest }) => rest) }, sortedKeys);
}

function sortedKeys(_key: string, value: unknown) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}
