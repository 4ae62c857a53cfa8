// A node's settings schema -> the fields of its settings form, and the text a user types -> a settings value.
import type { Json, Schema } from './types';

export type FieldKind = 'text' | 'template' | 'code' | 'number' | 'integer' | 'boolean' | 'select' | 'json' | 'group'
  | 'credential';

export interface FormField {
  key: string;
  title: string;
  description?: string;
  kind: FieldKind;
  required: boolean;
  defaultValue?: Json;
  options?: string[];
  min?: number;
  max?: number;
  language?: string;
  children?: FormField[];
  /** A group's own schema, for its nested form. */
  schema?: Schema;
}

const types = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** A select's choices: the schema's enum of strings, else its x-options. */
function choices(s: Schema): string[] | undefined {
  if (s.enum && s.enum.every((v) => typeof v === 'string')) return s.enum as string[];
  return s['x-options'];
}

function kindOf(s: Schema): FieldKind {
  const widget = s['x-widget'];
  // a setting that names a stored credential: a picker of the stored ones, never a free-text name
  if (widget === 'credential' || s.format === 'credential') return 'credential';
  if (choices(s)) return 'select';
  if (widget === 'code' || widget === 'jsonata') return 'code';
  if (widget === 'json') return 'json';
  if (widget === 'template') return 'template';
  const t = types(s);
  if (t.length === 1) {
    if (t[0] === 'string') return 'text';
    if (t[0] === 'integer') return 'integer';
    if (t[0] === 'number') return 'number';
    if (t[0] === 'boolean') return 'boolean';
    if (t[0] === 'object' && s.properties && !s.additionalProperties) return 'group';
  }
  if (t.length === 0 && !s.oneOf && !s.properties) return 'template';   // any value: text or a {{ }} reference
  return 'json';
}

/** The form of a settings schema, in the schema's order; `x-order` first when given. */
export function formFields(schema: Schema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([key, s], i) => ({ key, s, order: s['x-order'] ?? 1000 + i }))
    .sort((a, b) => a.order - b.order)
    .map(({ key, s }) => {
      const kind = kindOf(s);
      const field: FormField = { key, title: s.title ?? key, kind, required: required.has(key) };
      if (s.description) field.description = s.description;
      if (s.default !== undefined) field.defaultValue = s.default;
      if (kind === 'select') field.options = choices(s)!.slice();
      if (s.minimum !== undefined) field.min = s.minimum;
      if (s.maximum !== undefined) field.max = s.maximum;
      if (s['x-language'] || s['x-widget'] === 'jsonata') field.language = s['x-language'] ?? 'jsonata';
      if (kind === 'group') {
        field.children = formFields(s);
        field.schema = s;
      }
      return field;
    });
}

/** How a stored value shows in its input. */
export function displayValue(field: FormField, value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'json' || ((field.kind === 'template' || field.kind === 'text') && typeof value !== 'string')) {
    return JSON.stringify(value, null, 2);
  }
  return String(value);
}

export type Parsed = { value: Json | undefined } | { error: string };

/**
 * What a typed text means for a field: undefined (the setting is left out) for an empty optional input,
 * a number for number fields, parsed JSON for JSON fields; an error names what is wrong.
 */
export function parseValue(field: FormField, text: string): Parsed {
  const blank = text.trim() === '';
  if (blank && field.kind !== 'template' && field.kind !== 'text' && field.kind !== 'code') {
    return field.required ? { error: 'is required' } : { value: undefined };
  }
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: 'must be a number' };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { error: 'must be a whole number' };
      if (field.min !== undefined && n < field.min) return { error: `must be at least ${field.min}` };
      if (field.max !== undefined && n > field.max) return { error: `must be at most ${field.max}` };
      return { value: n };
    }
    case 'boolean':
      return { value: text === 'true' };
    case 'json':
      try {
        return { value: JSON.parse(text) as Json };
      } catch (e) {
        return { error: `is not valid JSON: ${(e as Error).message}` };
      }
    case 'select':
      return field.options?.includes(text) ? { value: text } : { error: `must be one of ${field.options?.join(', ')}` };
    default:
      if (blank && field.required) return { error: 'is required' };
      return { value: blank && !field.required ? undefined : text };
  }
}

/** The `{{ }}` references a template field can offer: each upstream node's output fields, and the node's inputs. */
export function referenceOptions(upstream: [string, string[]][], ownInputs: string[]): string[] {
  const refs = ownInputs.map((f) => `{{${f}}}`);
  for (const [id, fields] of upstream) for (const f of fields) refs.push(`{{${id}.${f}}}`);
  return refs;
}

/** The languages a code field can be written in: the name shown beside the field, the indent Tab inserts. */
export const LANGUAGES: Record<string, { name: string; indent?: string }> = {
  javascript: { name: 'JavaScript' },
  jsonata: { name: 'JSONata' },
  python: { name: 'Python', indent: '    ' },
};

/** Tab in a code field whose language is indented by syntax: the selection replaced by the indent, and the caret after it. */
export function insertIndent(text: string, start: number, end: number, indent: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + indent + text.slice(end), caret: start + indent.length };
}
