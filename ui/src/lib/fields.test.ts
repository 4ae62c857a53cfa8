import { describe, expect, it } from 'vitest';
import { fieldNameProblem, fieldRows, writeFields } from './fields';
import type { FlowDoc } from './types';

const doc = (): FlowDoc => ({
  nodes: [
    { id: 'start', type: 'start', settings: { inputs: { b: { type: 'integer', 'x-order': 1 }, a: { type: 'string', required: true, 'x-order': 0 } },
      data: { a: 'x', b: 2 } } },
    { id: 'end', type: 'end', settings: { outputs: { out: { type: 'string' } } } },
  ],
  edges: [{ from_node: 'start', to_node: 'end', fields_mapping: [{ from_field: 'a', to_field: 'out' }, { from_field: 'b.x', to_field: 'out' }] }],
});

describe('start and end field editors', () => {
  it('read fields in order', () => {
    expect(fieldRows(doc(), 'start')).toEqual([{ name: 'a', type: 'string', required: true }, { name: 'b', type: 'integer' }]);
    expect(fieldRows(doc(), 'end')).toEqual([{ name: 'out', type: 'string' }]);
  });

  it('write rows with their order, format and default', () => {
    const next = writeFields(doc(), 'start', [{ name: 'b', type: 'integer' }, { name: 'a', type: 'string', format: 'uri', default: 'u' }]);
    expect(next.nodes[0].settings!.inputs).toEqual({ b: { type: 'integer', 'x-order': 0 }, a: { type: 'string', format: 'uri', default: 'u', 'x-order': 1 } });
  });

  it('carry edges and sample data along a rename, and drop them with a removed field', () => {
    const renamed = writeFields(doc(), 'start', [{ name: 'name', type: 'string' }], new Map([['a', 'name']]));
    expect(renamed.edges[0].fields_mapping).toEqual([{ from_field: 'name', to_field: 'out' }]);
    expect(renamed.nodes[0].settings!.data).toEqual({ name: 'x' });
    const emptied = writeFields(doc(), 'end', []);
    expect(emptied.edges).toEqual([]);
  });

  it('check field names', () => {
    const rows = fieldRows(doc(), 'start');
    expect(fieldNameProblem(rows, 0, 'b')).toBe('there is already a field b');
    expect(fieldNameProblem(rows, 0, '1x')).toBe('use letters, digits and _ (not first a digit)');
    expect(fieldNameProblem(rows, 0, 'ok_1')).toBeNull();
  });
});
