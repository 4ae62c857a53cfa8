import { describe, expect, it } from 'vitest';
import { loadSamples, samplesKey, saveSamples, savedValue, typedInputs } from './samples';
import type { KeyValueStore } from './samples';
import { blankFlow } from './newFlow';

const memory = (): KeyValueStore & { items: Map<string, string> } => {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => { items.set(k, v); }, removeItem: (k) => { items.delete(k); } };
};

describe('run samples', () => {
  it('are kept per flow and start node, empty ones dropped', () => {
    const store = memory();
    saveSamples(store, 7, 'start', { name: 'Ada', count: '' });
    saveSamples(store, 8, 'start', { name: 'Bo' });

    expect(loadSamples(store, 7, 'start')).toEqual({ name: 'Ada' });
    expect(loadSamples(store, 8, 'start')).toEqual({ name: 'Bo' });
    expect(loadSamples(store, 7, 'other')).toEqual({});
    expect(store.items.get(samplesKey(7, 'start'))).toBe('{"name":"Ada"}');

    saveSamples(store, 7, 'start', { name: '' });
    expect(store.items.has(samplesKey(7, 'start'))).toBe(false);
  });

  it('survive unreadable or missing storage', () => {
    const store = memory();
    store.setItem(samplesKey(1, 'start'), 'not json');
    expect(loadSamples(store, 1, 'start')).toEqual({});
    store.setItem(samplesKey(1, 'start'), '{"a": 1, "b": "x"}');
    expect(loadSamples(store, 1, 'start')).toEqual({ b: 'x' });
    expect(loadSamples(null, 1, 'start')).toEqual({});
    const full: KeyValueStore = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
    expect(() => saveSamples(full, 1, 'start', { a: 'x' })).not.toThrow();
  });

  it('become typed run inputs, an empty sample giving no value', () => {
    const fields: [string, string][] = [['name', 'string'], ['count', 'integer'], ['flag', 'boolean'], ['tags', 'array'], ['note', 'string']];
    expect(typedInputs(fields, { name: 'Ada', count: '5', flag: 'false', tags: '["a"]', note: '' }))
      .toEqual({ inputs: { name: 'Ada', count: 5, flag: false, tags: ['a'] }, errors: [] });
    expect(typedInputs(fields, {})).toEqual({ inputs: {}, errors: [] });
    expect(typedInputs(fields, { count: 'five', tags: '[' }).errors).toEqual(['count: not a valid integer', 'tags: not a valid array']);
  });

  it('are not saved values: a new flow saves no data for its start input', () => {
    const start = blankFlow('New').nodes.find((n) => n.type === 'start')!;
    expect(start.settings?.data).toBeUndefined();
    expect((start.settings?.inputs as Record<string, { default?: unknown }>).input.default).toBeUndefined();
  });

  it('sit beside the value a run without one gets: a saved value first, then the default', () => {
    expect(savedValue('a', { a: 'Hello' }, { a: 'x' })).toEqual({ from: 'saved', value: 'Hello' });
    expect(savedValue('a', {}, { a: 'x' })).toEqual({ from: 'default', value: 'x' });
    expect(savedValue('a', undefined, {})).toBeNull();
  });
});
