// The Run panel's sample values: what the author types to try a flow, kept in this browser (localStorage, per flow
// and start node) and never in the flow document, so a run through the API never sees them. A start input's saved
// value is its `default`, set in the input editor (or `settings.data`, in flows saved before samples were kept apart).
import type { Json, JsonObject } from './types';

/** The panel's texts, one per input name, as typed. */
export type Texts = Record<string, string>;

/** The part of localStorage the samples use, so tests can give a plain object. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const samplesKey = (flowId: number, start: string) => `weft.samples.${flowId}.${start}`;

/** The samples kept for a flow's start node; none when nothing (or something unreadable) is kept. */
export function loadSamples(store: KeyValueStore | null, flowId: number, start: string): Texts {
  try {
    const kept = JSON.parse(store?.getItem(samplesKey(flowId, start)) ?? '{}') as unknown;
    if (!kept || typeof kept !== 'object' || Array.isArray(kept)) return {};
    return Object.fromEntries(Object.entries(kept).filter(([, v]) => typeof v === 'string')) as Texts;
  } catch {
    return {};
  }
}

/** Keeps the non-empty samples (none kept: the entry is removed); a full or refused storage is ignored. */
export function saveSamples(store: KeyValueStore | null, flowId: number, start: string, texts: Texts): void {
  const kept = Object.fromEntries(Object.entries(texts).filter(([, v]) => v !== ''));
  try {
    if (Object.keys(kept).length === 0) store?.removeItem(samplesKey(flowId, start));
    else store?.setItem(samplesKey(flowId, start), JSON.stringify(kept));
  } catch {
    // private windows and full storage: the samples last as long as the page
  }
}

/** This browser's localStorage, or null where scripts may not use it. */
export function browserStore(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * A run's input values from the panel's texts. An empty text gives no value at all, so the input's saved default
 * applies, or the run API refuses a required input by name; strings are sent as typed, booleans as true/false,
 * numbers, objects and arrays as JSON (a text that is not names the input in `errors`).
 */
export function typedInputs(fields: [string, string][], texts: Texts): { inputs: JsonObject; errors: string[] } {
  const inputs: JsonObject = {};
  const errors: string[] = [];
  for (const [name, type] of fields) {
    const raw = texts[name] ?? '';
    if (raw === '') continue;
    if (type === 'string' || type === '') inputs[name] = raw;
    else if (type === 'boolean') {
      if (raw === 'true' || raw === 'false') inputs[name] = raw === 'true';
      else errors.push(`${name}: choose true or false`);
    } else {
      try { inputs[name] = JSON.parse(raw) as Json; } catch { errors.push(`${name}: not a valid ${type}`); }
    }
  }
  return { inputs, errors };
}

/** What a run that gives no value for an input gets: its saved value or default, shown beside the sample. */
export function savedValue(name: string, data: JsonObject | undefined, defaults: JsonObject): { from: 'saved' | 'default'; value: Json } | null {
  if (data && data[name] !== undefined && data[name] !== null) return { from: 'saved', value: data[name] };
  if (defaults[name] !== undefined && defaults[name] !== null) return { from: 'default', value: defaults[name] };
  return null;
}
