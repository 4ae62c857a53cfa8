import { describe, expect, it } from 'vitest';
import { autoLayout } from './autoLayout';
import type { FlowDoc } from './types';

const chainWithBranch = (): FlowDoc => ({
  nodes: [
    { id: 'end', type: 'end', position: { x: 50, y: 900 } },
    { id: 'a', type: 'template', position: { x: 700, y: 20 } },
    { id: 'b', type: 'template', position: { x: 100, y: 400 } },
    { id: 'start', type: 'start', position: { x: 500, y: 500 } },
  ],
  edges: [
    { from_node: 'start', to_node: 'a', fields_mapping: [{ from_field: 'x', to_field: 'x' }] },
    { from_node: 'start', to_node: 'b', fields_mapping: [{ from_field: 'x', to_field: 'x' }] },
    { from_node: 'a', to_node: 'end', fields_mapping: [{ from_field: 'text', to_field: 'a' }] },
    { from_node: 'b', to_node: 'end', fields_mapping: [{ from_field: 'text', to_field: 'b' }] },
  ],
});

describe('auto-layout', () => {
  it('places nodes left to right along the edges', () => {
    const at = new Map(autoLayout(chainWithBranch()).nodes.map((n) => [n.id, n.position!]));
    expect(at.get('start')!.x).toBeLessThan(at.get('a')!.x);
    expect(at.get('a')!.x).toBe(at.get('b')!.x);
    expect(at.get('a')!.x).toBeLessThan(at.get('end')!.x);
    expect(Math.abs(at.get('a')!.y - at.get('b')!.y)).toBeGreaterThanOrEqual(120);
  });

  it('keeps the top-left corner where the flow was', () => {
    const nodes = autoLayout(chainWithBranch()).nodes;
    expect(Math.min(...nodes.map((n) => n.position!.x))).toBe(50);
    expect(Math.min(...nodes.map((n) => n.position!.y))).toBe(20);
  });

  it('uses measured sizes to keep tall nodes apart', () => {
    const sizes = new Map([['a', { width: 240, height: 400 }], ['b', { width: 240, height: 400 }]]);
    const at = new Map(autoLayout(chainWithBranch(), sizes).nodes.map((n) => [n.id, n.position!]));
    expect(Math.abs(at.get('a')!.y - at.get('b')!.y)).toBeGreaterThanOrEqual(400);
  });

  it('leaves notes, edges and everything but positions as they were', () => {
    const doc = { ...chainWithBranch(), notes: [{ id: 'note_1', text: 'x', position: { x: 1, y: 2 } }] };
    const next = autoLayout(doc);
    expect(next.notes).toBe(doc.notes);
    expect(next.edges).toBe(doc.edges);
    expect(next.nodes.map(({ position: _p, ...rest }) => rest)).toEqual(doc.nodes.map(({ position: _p, ...rest }) => rest));
  });
});
