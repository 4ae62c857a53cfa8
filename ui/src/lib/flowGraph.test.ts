import { describe, expect, it } from 'vitest';
import { CORE_TYPES } from './coreTypes.fixture';
import { addNode, canvasEdges, connect, connectionProblem, handlesOf, layout, NEW_INPUT, problemsByNode, removeMappings,
  removeNodes, upstream } from './flowGraph';
import type { FlowDoc } from './types';

const hello = (): FlowDoc => ({
  name: 'Hello',
  nodes: [
    { id: 'start', type: 'start', settings: { inputs: { name: { type: 'string', required: true } } }, position: { x: 0, y: 0 } },
    { id: 'greet', type: 'template', settings: { template: 'Hello, {{start.name}}!' }, position: { x: 300, y: 0 } },
    { id: 'end', type: 'end', settings: { outputs: { greeting: { type: 'string' } } }, position: { x: 600, y: 0 } },
  ],
  edges: [
    { from_node: 'start', to_node: 'greet', fields_mapping: [{ from_field: 'name', to_field: 'name' }] },
    { from_node: 'greet', to_node: 'end', fields_mapping: [{ from_field: 'text', to_field: 'greeting' }] },
  ],
});

describe('document -> canvas', () => {
  it('makes one canvas edge per field mapping, between field handles', () => {
    const doc = hello();
    doc.edges[0].fields_mapping.push({ from_field: 'name', to_field: 'who' });
    expect(canvasEdges(doc).map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ['start', 'o:name', 'greet', 'i:name'],
      ['start', 'o:name', 'greet', 'i:who'],
      ['greet', 'o:text', 'end', 'i:greeting'],
    ]);
  });

  it('shows declared fields and every field an edge uses as handles', () => {
    const doc = hello();
    const types = CORE_TYPES;
    expect(handlesOf(doc, doc.nodes[0], types[0]).outputs).toEqual([['name', 'string']]);
    expect(handlesOf(doc, doc.nodes[1], types[3])).toEqual({ inputs: [['name', '']], outputs: [['text', 'string']] });
    expect(handlesOf(doc, doc.nodes[2], types[1]).inputs).toEqual([['greeting', 'string']]);
  });

  it('orders start inputs by x-order', () => {
    const doc = hello();
    doc.edges = [];
    doc.nodes[0].settings = { inputs: { b: { type: 'number', 'x-order': 1 }, a: { type: 'string', 'x-order': 0 } } };
    expect(handlesOf(doc, doc.nodes[0], CORE_TYPES[0]).outputs.map(([f]) => f)).toEqual(['a', 'b']);
  });

  it('lays out nodes that have no position by depth', () => {
    const doc = hello();
    for (const n of doc.nodes) delete n.position;
    expect(layout(doc).nodes.map((n) => n.position!.x)).toEqual([60, 360, 660]);
  });
});

describe('canvas actions -> document', () => {
  it('builds start -> template -> end from nothing, as the e2e test does by hand', () => {
    let doc: FlowDoc = { name: 'Built', nodes: [], edges: [] };
    doc = addNode(doc, 'start', { x: 0, y: 0 }).doc;
    doc.nodes[0].settings = { inputs: { name: { type: 'string' } } };
    doc = addNode(doc, 'template', { x: 300, y: 0 }).doc;
    doc = addNode(doc, 'end', { x: 600, y: 0 }).doc;
    doc = connect(doc, CORE_TYPES, 'start', 'o:name', 'template', NEW_INPUT);
    doc = connect(doc, CORE_TYPES, 'template', 'o:text', 'end', NEW_INPUT);
    expect(doc.nodes.map((n) => n.id)).toEqual(['start', 'template', 'end']);
    expect(doc.edges).toEqual([
      { from_node: 'start', to_node: 'template', fields_mapping: [{ from_field: 'name', to_field: 'name' }] },
      { from_node: 'template', to_node: 'end', fields_mapping: [{ from_field: 'text', to_field: 'text' }] },
    ]);
    expect(doc.nodes[2].settings).toEqual({ outputs: { text: { type: 'string' } } });
  });

  it('adds a second mapping to the edge between the same two nodes, with a unique input name', () => {
    const doc = connect(hello(), CORE_TYPES, 'start', 'o:name', 'greet', NEW_INPUT);
    expect(doc.edges[0].fields_mapping).toEqual([{ from_field: 'name', to_field: 'name' }, { from_field: 'name', to_field: 'name_2' }]);
  });

  it('gives new nodes readable unique ids', () => {
    const { doc, id } = addNode(hello(), 'template', { x: 1.4, y: 2.6 });
    expect(id).toBe('template');
    expect(addNode(doc, 'template', { x: 0, y: 0 }).id).toBe('template_2');
    expect(doc.nodes[3].position).toEqual({ x: 1, y: 3 });
  });

  it('removes a mapping, and the edge with its last mapping', () => {
    const doc = removeMappings(hello(), new Set(['greet.text>end.greeting']));
    expect(doc.edges).toHaveLength(1);
  });

  it('removes nodes with their edges and forgets them as defaults', () => {
    const doc = removeNodes({ ...hello(), default_end_node_id: 'end' }, new Set(['greet', 'end']));
    expect(doc.nodes.map((n) => n.id)).toEqual(['start']);
    expect(doc.edges).toEqual([]);
    expect(doc.default_end_node_id).toBeUndefined();
  });

  it('lists upstream nodes nearest first', () => {
    expect(upstream(hello(), 'end')).toEqual(['greet', 'start']);
  });
});

describe('connection rules', () => {
  const problem = (doc: FlowDoc, s: string, sh: string, t: string, th: string) => connectionProblem(doc, CORE_TYPES, s, sh, t, th);

  it('refuses a cycle, a self edge and a duplicate, with the reason', () => {
    const doc = hello();
    expect(problem(doc, 'greet', 'o:text', 'greet', NEW_INPUT)).toBe('a node cannot feed itself');
    expect(problem(doc, 'end', 'o:x', 'greet', NEW_INPUT)).toBe('an end node has no outputs');
    doc.nodes.push({ id: 't2', type: 'template', settings: { template: 'x' } });
    doc.edges.push({ from_node: 'greet', to_node: 't2', fields_mapping: [{ from_field: 'text', to_field: 'x' }] });
    expect(problem(doc, 't2', 'o:text', 'greet', NEW_INPUT)).toBe('that would make a cycle: greet already leads to t2');
    expect(problem(doc, 'start', 'o:name', 'greet', 'i:name')).toBe('start.name is already connected to greet.name');
  });

  it('refuses fields whose types cannot match, and allows integer into number', () => {
    const doc = hello();
    doc.nodes[0].settings = { inputs: { n: { type: 'integer' }, flag: { type: 'boolean' } } };
    doc.nodes[2].settings = { outputs: { greeting: { type: 'string' }, total: { type: 'number' } } };
    expect(problem(doc, 'start', 'o:flag', 'end', 'i:greeting')).toBe('start.flag is a boolean, but end.greeting takes a string');
    expect(problem(doc, 'start', 'o:n', 'end', 'i:total')).toBeNull();
    expect(problem(doc, 'greet', 'o:text', 'end', 'i:total')).toBe('greet.text is a string, but end.total takes a number');
  });
});

describe('refused documents', () => {
  it('puts each problem on the node it concerns, an edge problem on its target', () => {
    const { byNode, general } = problemsByNode(hello(), [
      { field: 'nodes[1].settings.template', message: 'is required' },
      { field: 'edges[1].fields_mapping[0].to_field', message: "end node 'end' has no output field 'x'" },
      { field: 'nodes', message: 'the flow has no start node' },
    ]);
    expect(byNode.get('greet')).toEqual(['settings.template: is required']);
    expect(byNode.get('end')).toEqual(["edge from greet: fields_mapping[0].to_field: end node 'end' has no output field 'x'"]);
    expect(general).toEqual(['nodes: the flow has no start node']);
  });
});

describe('placing a new node', () => {
  it('moves down until it covers no other node', async () => {
    const { freeSpot } = await import('./flowGraph');
    expect(freeSpot(hello(), { x: 300, y: 0 })).toEqual({ x: 300, y: 140 });
    expect(freeSpot(hello(), { x: 300, y: 500 })).toEqual({ x: 300, y: 500 });
  });
});

describe('type checks on drawn edges', () => {
  it('marks an existing edge when an output type changes under it', async () => {
    const { edgeChecks } = await import('./flowGraph');
    const doc = hello();
    doc.edges.push({ from_node: 'start', to_node: 'end', fields_mapping: [{ from_field: 'name', to_field: 'greeting' }] });
    doc.edges[1].fields_mapping = [];
    doc.edges = doc.edges.filter((e) => e.fields_mapping.length > 0);
    expect(edgeChecks(doc, CORE_TYPES).size).toBe(0);
    doc.nodes[0].settings = { inputs: { name: { type: 'number' } } };
    expect(edgeChecks(doc, CORE_TYPES).get('start.name>end.greeting')).toEqual({ level: 'error',
      message: 'start.name is a number, but end.greeting takes a string' });
  });

  it('warns on every edge when two lead into one end field', async () => {
    const { edgeChecks } = await import('./flowGraph');
    const doc = hello();
    doc.edges.push({ from_node: 'start', to_node: 'end', fields_mapping: [{ from_field: 'name', to_field: 'greeting' }] });
    const checks = edgeChecks(doc, CORE_TYPES);
    expect([...checks.keys()].sort()).toEqual(['greet.text>end.greeting', 'start.name>end.greeting']);
    expect(checks.get('greet.text>end.greeting')!.level).toBe('warning');
    expect(checks.get('greet.text>end.greeting')!.message).toMatch(/^2 edges lead into end.greeting \(from greet.text, start.name\)/);
  });
});

describe('naming a new input', () => {
  it('does not name an input after an If port, but after the If', () => {
    const doc = hello();
    doc.nodes.push({ id: 'check', type: 'if', settings: { condition: '{{name}}' } });
    doc.edges.push({ from_node: 'start', to_node: 'check', fields_mapping: [{ from_field: 'name', to_field: 'name' }] });
    const t = connect(doc, CORE_TYPES, 'check', 'o:true', 'greet', NEW_INPUT);
    expect(t.edges.at(-1)!.fields_mapping).toEqual([{ from_field: 'true', to_field: 'check_data' }]);
    const f = connect(t, CORE_TYPES, 'check', 'o:false', 'greet', NEW_INPUT);
    expect(f.edges.at(-1)!.fields_mapping.at(-1)).toEqual({ from_field: 'false', to_field: 'check_data_2' });
    expect(connect(doc, CORE_TYPES, 'check', 'o:condition', 'greet', NEW_INPUT).edges.at(-1)!.fields_mapping)
      .toEqual([{ from_field: 'condition', to_field: 'condition' }]);
  });
});

describe('a node not connected yet', () => {
  it('is not an error on the node, only marked unconnected', () => {
    const doc = hello();
    const { byNode, unconnected } = problemsByNode(doc, [{ field: 'nodes[1]',
      message: "node 'greet' has no incoming edge, so it never runs: connect an earlier node's output to one of its inputs" }]);
    expect(byNode.size).toBe(0);
    expect([...unconnected]).toEqual(['greet']);
  });
});

describe('placing a clicked palette node', () => {
  const view = { x: 0, y: 0, width: 1000, height: 600 };

  it('goes beside the selected node when that is free and in view', async () => {
    const { placeNew } = await import('./flowGraph');
    const doc = hello();
    doc.nodes = [doc.nodes[0]];
    expect(placeNew(doc, view, { x: 100, y: 100 })).toEqual({ x: 400, y: 100 });
  });

  it('goes to the free spot nearest the view centre when the selection is off to the side', async () => {
    const { placeNew } = await import('./flowGraph');
    const doc = hello();
    const at = placeNew(doc, view, { x: 5000, y: 5000 });
    expect(at).toEqual({ x: 380, y: 240 });
  });

  it('stays inside the view however far away the flow is', async () => {
    const { placeNew } = await import('./flowGraph');
    const far = { x: -20000, y: 9000, width: 800, height: 500 };
    const at = placeNew(hello(), far);
    expect(at.x).toBeGreaterThanOrEqual(far.x);
    expect(at.x + 240).toBeLessThanOrEqual(far.x + far.width);
    expect(at.y).toBeGreaterThanOrEqual(far.y);
    expect(at.y + 120).toBeLessThanOrEqual(far.y + far.height);
  });

  it('does not cover the nodes in the middle of the view', async () => {
    const { placeNew } = await import('./flowGraph');
    const doc = hello();
    doc.nodes.push({ id: 'mid', type: 'template', position: { x: 380, y: 240 } });
    const at = placeNew(doc, view);
    expect(doc.nodes.some((n) => Math.abs(n.position!.x - at.x) < 250 && Math.abs(n.position!.y - at.y) < 130)).toBe(false);
  });
});
