// drafts: what a one-node test-run is fed, prefilled from the last run: the node's recorded input fields, and for
// each node its settings refer to ({{other.field}}), that node's outputs under its id (the one-node run reads
// references from its inputs, since the other nodes do not run).
import type { DocNode, JsonObject, Step } from './types';

const REFERENCE = /\{\{\s*([A-Za-z0-9_-]+)[.\s}[]/g;

/** The ids of the other nodes `node`'s settings refer to with {{id.field}}. */
export function referencedNodes(node: DocNode, ids: string[]): string[] {
  const text = JSON.stringify(node.settings ?? {});
  const found = new Set<string>();
  for (const match of text.matchAll(REFERENCE)) {
    if (match[1] !== node.id && ids.includes(match[1])) found.add(match[1]);
  }
  return [...found];
}

/** The inputs a one-node run of `node` starts from: its last step's inputs plus the outputs of the nodes it refers to. */
export function prefilledInputs(node: DocNode, ids: string[], steps: Step[]): JsonObject {
  const inputs: JsonObject = { ...((steps.find((s) => s.node_id === node.id)?.inputs ?? {}) as JsonObject) };
  for (const id of referencedNodes(node, ids)) {
    const outputs = steps.find((s) => s.node_id === id)?.outputs;
    if (outputs && inputs[id] === undefined) inputs[id] = outputs;
  }
  return inputs;
}
