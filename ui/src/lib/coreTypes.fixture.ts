// Test data: the core node types as GET /api/v1/node-types describes them (a few of their settings), for the unit
// tests of the graph helpers. The app itself always reads the server's.
import type { NodeTypeInfo, Schema } from './types';

const fieldsSchema = (what: string): Schema => ({
  type: 'object', title: what,
  additionalProperties: { type: 'object', properties: { type: { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array'] } } },
});

export const CORE_TYPES: NodeTypeInfo[] = [
  { type: 'start', title: 'Start', category: 'flow', description: 'Where a run begins: declares the flow\'s typed inputs.',
    ports: ['success'], inputs: [], outputs: [], settings_schema: { type: 'object', properties: { inputs: fieldsSchema('Inputs') } } },
  { type: 'end', title: 'End', category: 'flow', description: 'Where a run ends: its output fields become the result.',
    ports: [], inputs: [], outputs: [], settings_schema: { type: 'object', properties: { outputs: fieldsSchema('Outputs') } } },
  { type: 'if', title: 'If', category: 'logic', description: 'Tests a condition and passes its inputs on through port true or false.',
    ports: ['true', 'false'], inputs: ['condition'], outputs: ['condition'], output_types: { condition: 'boolean' },
    settings_schema: { type: 'object', properties: {
      condition: { title: 'Condition' },
      operator: { title: 'Operator', enum: ['truthy', 'equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'not_empty'], default: 'truthy' },
      value: { title: 'Value' } } } },
  { type: 'template', title: 'Template', category: 'data', description: 'Fills {{ }} references in a text and emits it as text.',
    ports: ['success'], inputs: [], outputs: ['text'], output_types: { text: 'string' },
    settings_schema: { type: 'object', required: ['template'], properties: { template: { type: 'string', title: 'Template', 'x-widget': 'template' } } } },
  { type: 'transform', title: 'Transform', category: 'data', description: 'Evaluates a JSONata expression against the input fields.',
    ports: ['success'], inputs: [], outputs: ['result'],
    settings_schema: { type: 'object', required: ['expression'], properties: { expression: { type: 'string', title: 'Expression', 'x-widget': 'jsonata' } } } },
  { type: 'http', title: 'HTTP request', category: 'integration', description: 'Makes one HTTP request and emits status, headers and body.',
    ports: ['success'], inputs: [], outputs: ['status', 'headers', 'body'], output_types: { status: 'integer', headers: 'object' },
    settings_schema: { type: 'object', required: ['url'], properties: {
      method: { title: 'Method', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], default: 'GET' },
      url: { type: 'string', title: 'URL', 'x-widget': 'template' },
      headers: { type: 'object', title: 'Headers' },
      body: { title: 'Body', 'x-widget': 'template' } } } },
];

