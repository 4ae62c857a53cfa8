import type { FlowDoc } from './types';

/** What "New flow" starts from: the smallest valid flow, a start node wired to an end node. */
export const blankFlow = (name: string): FlowDoc => ({
  name,
  nodes: [
    // no settings.data: a sample typed in the Run panel stays in the browser, so an execute with {} is refused
    { id: 'start', type: 'start', settings: { inputs: { input: { type: 'string', title: 'Input', required: true, 'x-order': 0 } } },
      position: { x: 80, y: 160 } },
    { id: 'end', type: 'end', settings: { outputs: { output: { type: 'string' } } }, position: { x: 560, y: 160 } },
  ],
  edges: [{ from_node: 'start', to_node: 'end', fields_mapping: [{ from_field: 'input', to_field: 'output' }] }],
});

/** A file name for an exported flow. */
export const fileName = (name: string) => `${name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'flow'}.weft.json`;
