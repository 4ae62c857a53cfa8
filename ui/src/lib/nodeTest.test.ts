import { describe, expect, it } from 'vitest';
import { prefilledInputs, referencedNodes } from './nodeTest';
import type { DocNode, Step } from './types';

const step = (node_id: string, inputs: object | null, outputs: object | null): Step => ({ node_id, type: 't', state: 'done',
  port: 'success', inputs: inputs as Step['inputs'], outputs: outputs as Step['outputs'], error: null, attempts: [],
  started_at: null, finished_at: null });

describe('one-node run inputs', () => {
  const node: DocNode = { id: 'ask', type: 'llm', settings: { user: 'Q: {{start.q}} after {{ sum.result }}, not {{q}}', system: '{{ask.text}}' } };

  it('finds the other nodes a node refers to, once each, and not itself or plain fields', () => {
    expect(referencedNodes(node, ['start', 'sum', 'ask', 'end'])).toEqual(['start', 'sum']);
  });

  it('prefills the last step inputs and the referenced nodes outputs under their ids', () => {
    const steps = [step('start', null, { q: 'hi' }), step('sum', { x: 1 }, { result: 3 }), step('ask', { q: 'hi' }, { text: 'a' })];
    expect(prefilledInputs(node, ['start', 'sum', 'ask'], steps)).toEqual({ q: 'hi', start: { q: 'hi' }, sum: { result: 3 } });
  });

  it('starts empty without a last run', () => {
    expect(prefilledInputs(node, ['start', 'sum', 'ask'], [])).toEqual({});
  });
});
