import { describe, expect, it } from 'vitest';
import { clipText, copy, parseClip, paste, PASTE_OFFSET, renameRefs } from './clipboard';
import type { FlowDoc } from './types';

const doc = (): FlowDoc => ({
  name: 'Copy me',
  default_start_node_id: 'start',
  nodes: [
    { id: 'start', type: 'start', settings: { inputs: { name: { type: 'string' } } }, position: { x: 0, y: 0 } },
    { id: 'greet', type: 'template', settings: { template: 'Hi {{name}}' }, position: { x: 300, y: 0 } },
    { id: 'shout', type: 'transform', settings: { expression: '$uppercase(text)' }, position: { x: 600, y: 50 } },
    { id: 'end', type: 'end', settings: { outputs: { text: { type: 'string' } } }, position: { x: 900, y: 0 } },
  ],
  edges: [
    { from_node: 'start', to_node: 'greet', fields_mapping: [{ from_field: 'name', to_field: 'name' }] },
    { from_node: 'greet', to_node: 'shout', fields_mapping: [{ from_field: 'text', to_field: 'text' }] },
    { from_node: 'shout', to_node: 'end', fields_mapping: [{ from_field: 'result', to_field: 'text' }] },
  ],
  notes: [{ id: 'note_1', text: 'Why', position: { x: 300, y: 200 } }],
});

describe('copy', () => {
  it('takes the selected nodes and only the edges between them', () => {
    const clip = copy(doc(), new Set(['greet', 'shout']))!;
    expect(clip.nodes.map((n) => n.id)).toEqual(['greet', 'shout']);
    expect(clip.edges).toEqual([{ from_node: 'greet', to_node: 'shout', fields_mapping: [{ from_field: 'text', to_field: 'text' }] }]);
    expect(clip.notes).toEqual([]);
  });

  it('copies nothing when nothing is selected', () => {
    expect(copy(doc(), new Set())).toBeNull();
  });

  it('round-trips through the clipboard text, and ignores other text', () => {
    const clip = copy(doc(), new Set(['greet']), new Set(['note_1']))!;
    expect(parseClip(clipText(clip))).toEqual(clip);
    expect(parseClip('hello')).toBeNull();
    expect(parseClip('{"nodes": []}')).toBeNull();
    expect(parseClip('{"weft": "nodes", "nodes": [{"id": "a"}]}')).toBeNull();
  });

  it('drops edges of a hand-edited clip whose ends are not in it', () => {
    const text = JSON.stringify({ weft: 'nodes', nodes: [{ id: 'a', type: 'template' }],
      edges: [{ from_node: 'x', to_node: 'a', fields_mapping: [{ from_field: 'f', to_field: 'g' }] }] });
    expect(parseClip(text)!.edges).toEqual([]);
  });
});

describe('paste', () => {
  it('gives new ids, rewires the edges to them and offsets the positions', () => {
    const source = doc();
    const clip = copy(source, new Set(['greet', 'shout']))!;
    const { doc: next, nodeIds } = paste(source, clip);
    expect(nodeIds).toEqual(['greet_2', 'shout_2']);
    expect(next.nodes).toHaveLength(6);
    expect(next.nodes[4]).toMatchObject({ id: 'greet_2', type: 'template', position: { x: 300 + PASTE_OFFSET, y: PASTE_OFFSET } });
    expect(next.edges[3]).toEqual({ from_node: 'greet_2', to_node: 'shout_2', fields_mapping: [{ from_field: 'text', to_field: 'text' }] });
    expect(next.default_start_node_id).toBe('start');
    expect(source.nodes).toHaveLength(4);
  });

  it('points references between pasted nodes at the copies and leaves references outside the clip alone', () => {
    const source = doc();
    source.nodes[2].settings = { expression: '$uppercase(text)', note: '{{ greet.text }} for {{start.name}}',
      list: ['{{greet.text|upper}}', '{{greetings.text}}'] };
    const { doc: next } = paste(source, copy(source, new Set(['greet', 'shout']))!);
    expect(next.nodes[5].settings).toEqual({ expression: '$uppercase(text)', note: '{{ greet_2.text }} for {{start.name}}',
      list: ['{{greet_2.text|upper}}', '{{greetings.text}}'] });
    expect(source.nodes[2].settings!.note).toBe('{{ greet.text }} for {{start.name}}');
  });

  it('renames only whole node ids followed by a field', () => {
    const renamed = new Map([['a', 'a_2']]);
    expect(renameRefs({ x: '{{a.b}} {{ab.c}} {{a}} {{ a[0] }}' }, renamed)).toEqual({ x: '{{a_2.b}} {{ab.c}} {{a_2}} {{ a_2[0] }}' });
  });

  it('pastes a second time under yet other ids', () => {
    const clip = copy(doc(), new Set(['greet']))!;
    const once = paste(doc(), clip).doc;
    expect(paste(once, clip).nodeIds).toEqual(['greet_3']);
  });

  it('puts the clip top-left at a point, notes included', () => {
    const clip = copy(doc(), new Set(['greet']), new Set(['note_1']))!;
    const { doc: next, noteIds } = paste(doc(), clip, { x: 1000, y: 1000 });
    expect(next.nodes.at(-1)!.position).toEqual({ x: 1000, y: 1000 });
    expect(noteIds).toEqual(['note_2']);
    expect(next.notes!.at(-1)).toEqual({ id: 'note_2', text: 'Why', position: { x: 1000, y: 1200 } });
  });

  it('pastes into another flow, which gets the nodes under their own ids', () => {
    const clip = parseClip(clipText(copy(doc(), new Set(['start', 'greet']))!))!;
    const other: FlowDoc = { name: 'Other', nodes: [], edges: [] };
    const { doc: next } = paste(other, clip);
    expect(next.nodes.map((n) => n.id)).toEqual(['start', 'greet']);
    expect(next.edges).toHaveLength(1);
    expect(next.notes).toBeUndefined();
  });
});

describe('duplicate', () => {
  it('copies the selection beside itself, fed by the same edges from outside it', async () => {
    const { duplicate } = await import('./clipboard');
    const made = duplicate(doc(), new Set(['greet']))!;
    expect(made.nodeIds).toEqual(['greet_2']);
    expect(made.doc.edges.slice(3)).toEqual([
      { from_node: 'start', to_node: 'greet_2', fields_mapping: [{ from_field: 'name', to_field: 'name' }] }]);
    expect(made.doc.nodes.at(-1)!.position).toEqual({ x: 340, y: 40 });
  });

  it('keeps the edges inside the selection between the copies, and does not copy outgoing edges', async () => {
    const { duplicate } = await import('./clipboard');
    const made = duplicate(doc(), new Set(['greet', 'shout']))!;
    expect(made.doc.edges.slice(3)).toEqual([
      { from_node: 'greet_2', to_node: 'shout_2', fields_mapping: [{ from_field: 'text', to_field: 'text' }] },
      { from_node: 'start', to_node: 'greet_2', fields_mapping: [{ from_field: 'name', to_field: 'name' }] }]);
    expect(duplicate(doc(), new Set())).toBeNull();
  });
});
