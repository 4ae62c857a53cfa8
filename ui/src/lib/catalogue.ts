// Node types: from GET /api/v1/node-types when the server has it, else this built-in list of the core types.
import type { DocNode, NodeTypeInfo, Schema } from './types';

const fieldsSchema = (what: string): Schema => ({
  type: 'object', title: what,
  additionalProperties: { type: 'object', properties: { type: { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array'] } } },
});

export const BUILTIN_TYPES: NodeTypeInfo[] = [
  { type: 'start', title: 'Start', category: 'flow', description: 'Where a run begins: declares the flow\'s typed inputs.',
    ports: ['success'], inputs: [], outputs: [], settings_schema: { type: 'object', properties: { inputs: fieldsSchema('Inputs') } } },
  { type: 'end', title: 'End', category: 'flow', description: 'Where a run ends: its output fields become the result.',
    ports: [], inputs: [], outputs: [], settings_schema: { type: 'object', properties: { outputs: fieldsSchema('Outputs') } } },
  { type: 'if', title: 'If', category: 'logic', description: 'Tests a condition and passes its inputs on through port true or false.',
    ports: ['true', 'false'], inputs: ['condition'], outputs: ['condition'],
    settings_schema: { type: 'object', properties: {
      condition: { title: 'Condition' },
      operator: { title: 'Operator', enum: ['truthy', 'equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'not_empty'], default: 'truthy' },
      value: { title: 'Value' } } } },
  { type: 'template', title: 'Template', category: 'data', description: 'Fills {{ }} references in a text and emits it as text.',
    ports: ['success'], inputs: [], outputs: ['text'],
    settings_schema: { type: 'object', required: ['template'], properties: { template: { type: 'string', title: 'Template', 'x-widget': 'template' } } } },
  { type: 'transform', title: 'Transform', category: 'data', description: 'Evaluates a JSONata expression against the input fields.',
    ports: ['success'], inputs: [], outputs: ['result'],
    settings_schema: { type: 'object', required: ['expression'], properties: { expression: { type: 'string', title: 'Expression', 'x-widget': 'jsonata' } } } },
  { type: 'http', title: 'HTTP request', category: 'integration', description: 'Makes one HTTP request and emits status, headers and body.',
    ports: ['success'], inputs: [], outputs: ['status', 'headers', 'body'],
    settings_schema: { type: 'object', required: ['url'], properties: {
      method: { title: 'Method', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], default: 'GET' },
      url: { type: 'string', title: 'URL', 'x-widget': 'template' },
      headers: { type: 'object', title: 'Headers' },
      body: { title: 'Body', 'x-widget': 'template' } } } },
];

/** Known output types, for refusing connections whose types cannot match ("" or absent: any). */
const OUTPUT_TYPES: Record<string, string> = {
  'template.text': 'string', 'if.condition': 'boolean', 'http.status': 'integer', 'http.headers': 'object',
  'llm.text': 'string', 'llm.usage': 'object', 'llm.model': 'string', 'llm.finish_reason': 'string', 'llm.provider': 'string',
  'agent.text': 'string', 'agent.messages': 'array', 'agent.tool_calls': 'array', 'agent.tool_errors': 'integer',
  'agent.usage': 'object', 'agent.iterations': 'integer', 'agent.finish_reason': 'string', 'agent.model': 'string',
  'agent.provider': 'string', 'mcp.content': 'array', 'mcp.is_error': 'boolean',
};

/** The type an imported Scade node Weft has no node for becomes: shown as "needs replacing". */
export const PLACEHOLDER = 'scade_placeholder';

export const CATEGORY_ORDER = ['flow', 'ai', 'data', 'logic', 'integration', 'other'];

export function typeInfo(types: NodeTypeInfo[], type: string): NodeTypeInfo {
  return types.find((t) => t.type === type) ?? BUILTIN_TYPES.find((t) => t.type === type)
    ?? { type, title: type, category: 'other', description: '', ports: ['success'], inputs: [], outputs: [], settings_schema: { type: 'object' } };
}

function declared(node: DocNode, key: 'inputs' | 'outputs'): [string, string][] {
  const fields = node.settings?.[key];
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return [];
  return Object.entries(fields)
    .map(([name, spec], i) => {
      const s = (spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : {}) as Record<string, unknown>;
      const order = typeof s['x-order'] === 'number' ? s['x-order'] : typeof s.order === 'number' ? s.order : 1000 + i;
      return { name, type: typeof s.type === 'string' ? s.type : '', order: order as number };
    })
    .sort((a, b) => a.order - b.order)
    .map((f) => [f.name, f.type]);
}

/** A start node's input fields or an end node's output fields, in their order, with their types. */
export function declaredFields(node: DocNode): [string, string][] {
  return declared(node, node.type === 'end' ? 'outputs' : 'inputs');
}

/** The output fields a node offers to connect from, with their types when known. */
export function outputFields(node: DocNode, info: NodeTypeInfo): [string, string][] {
  if (node.type === 'end') return [];
  if (node.type === 'start') return declared(node, 'inputs');
  const fields: [string, string][] = info.outputs.map((f) => [f, OUTPUT_TYPES[`${node.type}.${f}`] ?? '']);
  if (info.ports.length > 1 || node.on_error === 'continue') {
    for (const port of info.ports.length > 1 ? info.ports : []) fields.push([port, 'object']);
  }
  if (node.on_error === 'continue') fields.push(['error', 'object']);
  if (fields.length === 0) fields.push([info.ports[0] ?? 'success', 'object']);
  return fields;
}

/** The input fields a node declares (end: its outputs; others: the catalogue's named inputs). */
export function inputFields(node: DocNode, info: NodeTypeInfo): [string, string][] {
  if (node.type === 'start') return [];
  if (node.type === 'end') return declared(node, 'outputs');
  return info.inputs.map((f) => [f, '']);
}
