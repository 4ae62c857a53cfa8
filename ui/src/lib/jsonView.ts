// What the JSON viewer shows for a value: which values open as a tree, what a closed one says, and which start open.

/** True for the values the viewer can fold: objects and arrays. */
export const foldable = (value: unknown): value is Record<string, unknown> | unknown[] =>
  value !== null && typeof value === 'object';

/** The entries of a foldable value, as [name, value]; array items have no name. */
export function entries(value: Record<string, unknown> | unknown[]): [string | undefined, unknown][] {
  return Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value);
}

/** What a closed value says about itself: "3 items", "1 key". */
export function summary(value: Record<string, unknown> | unknown[]): string {
  const n = Array.isArray(value) ? value.length : Object.keys(value).length;
  const word = Array.isArray(value) ? 'item' : 'key';
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Shallow and small values open at first; deep or long ones start closed so that a big answer stays readable. */
export const OPEN_DEPTH = 3;
export const OPEN_MAX_ENTRIES = 50;
export function startsOpen(value: Record<string, unknown> | unknown[], depth: number): boolean {
  const n = Array.isArray(value) ? value.length : Object.keys(value).length;
  return depth < OPEN_DEPTH && n <= OPEN_MAX_ENTRIES;
}

/** A leaf as JSON text, with its kind for colouring: strings quoted and escaped as JSON writes them. */
export function leaf(value: unknown): { text: string; kind: 'string' | 'number' | 'boolean' | 'null' } {
  if (value === null || value === undefined) return { text: 'null', kind: 'null' };
  if (typeof value === 'string') return { text: JSON.stringify(value), kind: 'string' };
  if (typeof value === 'number') return { text: String(value), kind: 'number' };
  if (typeof value === 'boolean') return { text: String(value), kind: 'boolean' };
  return { text: JSON.stringify(value), kind: 'string' };
}
