import { describe, expect, it } from 'vitest';
import { answerText, chatStart } from './playground';
import type { FlowDoc } from './types';

describe('playground', () => {
  const doc = (inputs: object): FlowDoc => ({ nodes: [{ id: 'start', type: 'start', settings: { inputs: inputs as never } },
    { id: 'end', type: 'end' }], edges: [] });

  it('chats with a flow whose start takes a message, with a session when it takes session_id', () => {
    expect(chatStart(doc({ message: { type: 'string' } }))).toEqual({ start: 'start', session: false });
    expect(chatStart(doc({ message: {}, session_id: {} }))).toEqual({ start: 'start', session: true });
    expect(chatStart(doc({ q: {} }))).toBeNull();
  });

  it('shows the answer field, the only text, or the JSON', () => {
    expect(answerText({ text: 'hi', usage: { in: 1 } })).toBe('hi');
    expect(answerText({ label: 'spam', score: 1 })).toBe('spam');
    expect(answerText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
