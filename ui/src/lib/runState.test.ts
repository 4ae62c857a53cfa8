import { describe, expect, it } from 'vitest';
import { nodeRuns } from './runState';
import type { FlowDoc, Step, Task } from './types';

const doc: FlowDoc = {
  nodes: [{ id: 's', type: 'start' }, { id: 't', type: 'template' }, { id: 'e', type: 'end' }],
  edges: [
    { from_node: 's', to_node: 't', fields_mapping: [{ from_field: 'x', to_field: 'x' }] },
    { from_node: 't', to_node: 'e', fields_mapping: [{ from_field: 'text', to_field: 'y' }] },
  ],
};
const task = (status: number): Task => ({ id: 1, status, state: 'running', result: null, error: null, flow_id: 1, flow_version: 1,
  start_node_id: 's', end_node_id: 'e', result_node_id: 'e', created_at: '', started_at: null, finished_at: null });
const step = (node_id: string, state: Step['state']): Step => ({ node_id, type: 'x', state, port: 'success', inputs: {},
  outputs: { v: 1 }, error: null, attempts: [{ number: 1, started_at: null, finished_at: null, error: null }],
  started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:00.012Z' });

describe('node states of a run', () => {
  it('marks recorded steps, the ready node running and the rest queued', () => {
    const runs = nodeRuns(doc, task(2), [step('s', 'done')]);
    expect(runs.get('s')).toMatchObject({ state: 'done', ms: 12, attempts: 1, outputs: { v: 1 } });
    expect(runs.get('t')!.state).toBe('running');
    expect(runs.get('e')!.state).toBe('queued');
  });

  it('uses started events, and shows nothing for nodes a finished task never ran', () => {
    expect(nodeRuns(doc, task(2), [], new Set(['t'])).get('t')!.state).toBe('running');
    const runs = nodeRuns(doc, task(4), [step('s', 'done'), step('t', 'failed')]);
    expect(runs.get('t')!.state).toBe('failed');
    expect(runs.has('e')).toBe(false);
  });

  it("shows no state once the run's start node is deleted from the flow", () => {
    const withoutStart: FlowDoc = { nodes: doc.nodes.filter((n) => n.id !== 's'), edges: [doc.edges[1]] };
    expect(nodeRuns(withoutStart, task(3), [step('s', 'done'), step('t', 'done')]).size).toBe(0);
    expect(nodeRuns(doc, task(3), [step('s', 'done'), step('t', 'done')]).size).toBe(2);
  });

  it('shows every node queued before the task starts', () => {
    expect([...nodeRuns(doc, task(1), []).values()].map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
  });
});
