import { describe, expect, it } from 'vitest';
import { LANGUAGES, displayValue, formFields, insertIndent, parseValue, referenceOptions } from './schemaForm';
import type { Schema } from './types';

const http: Schema = {
  type: 'object', required: ['url'],
  properties: {
    method: { title: 'Method', enum: ['GET', 'POST'], default: 'GET' },
    url: { type: 'string', title: 'URL', 'x-widget': 'template' },
    headers: { type: 'object', title: 'Headers', additionalProperties: { type: 'string' } },
    timeout_ms: { type: 'integer', title: 'Time limit (ms)', minimum: 1, maximum: 600000 },
    fail_on_status: { type: 'boolean', title: 'Fail on a non-2xx answer', default: true },
    auth: { type: 'object', title: 'Authentication', required: ['credential'],
      properties: { credential: { type: 'string', title: 'Credential' } } },
    body: { title: 'Body' },
    code: { type: 'string', 'x-widget': 'code', 'x-language': 'javascript' },
    stop: { oneOf: [{ type: 'string' }, { type: 'array' }] },
  },
};

describe('settings schema -> form', () => {
  const fields = formFields(http);

  it('picks one input kind per setting', () => {
    expect(fields.map((f) => [f.key, f.kind])).toEqual([
      ['method', 'select'], ['url', 'template'], ['headers', 'json'], ['timeout_ms', 'integer'],
      ['fail_on_status', 'boolean'], ['auth', 'group'], ['body', 'template'], ['code', 'code'], ['stop', 'json'],
    ]);
  });

  it('keeps titles, required, defaults, options, bounds and nested fields', () => {
    expect(fields[0]).toMatchObject({ title: 'Method', options: ['GET', 'POST'], defaultValue: 'GET', required: false });
    expect(fields[1]).toMatchObject({ title: 'URL', required: true });
    expect(fields[3]).toMatchObject({ min: 1, max: 600000 });
    expect(fields[5].children).toEqual([{ key: 'credential', title: 'Credential', kind: 'text', required: true }]);
    expect(fields[7].language).toBe('javascript');
  });

  it('offers x-options as a select where the schema accepts more spellings than it lists', () => {
    const [method] = formFields({ properties: { method: { type: 'string', pattern: '^(?i)(GET|POST)$', 'x-options': ['GET', 'POST'] } } });
    expect(method).toMatchObject({ kind: 'select', options: ['GET', 'POST'] });
  });

  it('honours x-order', () => {
    const ordered = formFields({ properties: { b: { type: 'string' }, a: { type: 'string', 'x-order': 0 } } });
    expect(ordered.map((f) => f.key)).toEqual(['a', 'b']);
  });
});

describe('typed text -> settings value', () => {
  const [method, url, headers, timeout] = formFields(http);

  it('parses numbers within bounds and names what is wrong', () => {
    expect(parseValue(timeout, '2500')).toEqual({ value: 2500 });
    expect(parseValue(timeout, '2.5')).toEqual({ error: 'must be a whole number' });
    expect(parseValue(timeout, '0')).toEqual({ error: 'must be at least 1' });
    expect(parseValue(timeout, 'soon')).toEqual({ error: 'must be a number' });
    expect(parseValue(timeout, '')).toEqual({ value: undefined });
  });

  it('parses JSON fields and reports bad JSON', () => {
    expect(parseValue(headers, '{"X-A": "1"}')).toEqual({ value: { 'X-A': '1' } });
    expect('error' in parseValue(headers, '{nope')).toBe(true);
  });

  it('keeps text as typed and requires required text', () => {
    expect(parseValue(url, 'https://{{start.host}}/x')).toEqual({ value: 'https://{{start.host}}/x' });
    expect(parseValue(url, '  ')).toEqual({ error: 'is required' });
    expect(parseValue(method, 'PATCH')).toEqual({ error: 'must be one of GET, POST' });
  });

  it('shows non-text values of a template field as JSON', () => {
    expect(displayValue(url, 'x')).toBe('x');
    expect(displayValue(headers, { a: 1 })).toBe('{\n  "a": 1\n}');
  });

  it('offers {{ }} references from upstream nodes and the node\'s own inputs', () => {
    expect(referenceOptions([['start', ['name']], ['fetch', ['status', 'body']]], ['name']))
      .toEqual(['{{name}}', '{{start.name}}', '{{fetch.status}}', '{{fetch.body}}']);
  });
});

describe('code fields', () => {
  it('name their language and indent Python with four spaces', () => {
    const [code] = formFields({ properties: { code: { type: 'string', 'x-widget': 'code', 'x-language': 'python' } } });
    expect(code).toMatchObject({ kind: 'code', language: 'python' });
    expect(LANGUAGES[code.language!]).toEqual({ name: 'Python', indent: '    ' });
    expect(LANGUAGES.javascript.indent).toBeUndefined();
  });

  it('puts the indent in place of the selection and the caret after it', () => {
    expect(insertIndent('if x:\nreturn', 6, 6, '    ')).toEqual({ text: 'if x:\n    return', caret: 10 });
    expect(insertIndent('abcdef', 1, 4, '    ')).toEqual({ text: 'a    ef', caret: 5 });
  });
});

describe('credential settings', () => {
  it('a setting marked as a credential (x-widget or format) is a picker, not free text', () => {
    const fields = formFields({ type: 'object', required: ['credential'], properties: {
      credential: { type: 'string', title: 'API key credential', 'x-widget': 'credential' },
      other: { type: 'string', format: 'credential' },
      plain: { type: 'string' },
    } });
    expect(fields.map((f) => f.kind)).toEqual(['credential', 'credential', 'text']);
    expect(fields[0].required).toBe(true);
  });
});
