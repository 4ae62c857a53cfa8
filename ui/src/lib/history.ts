// Undo and redo over whole documents. Edits of the same thing in quick succession (typing in one field) merge
// into one step, so undo takes back a word's worth of typing at once rather than a letter.

export const MERGE_WINDOW_MS = 1000;
export const DEPTH = 200;

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  lastKey?: string;
  lastAt?: number;
}

export const start = <T>(present: T): History<T> => ({ past: [], present, future: [] });

/** Records a new present. `key` names what changed; the same key within the merge window replaces the last step. */
export function record<T>(h: History<T>, next: T, key?: string, now = Date.now()): History<T> {
  if (next === h.present) return h;
  const merge = key !== undefined && key === h.lastKey && h.lastAt !== undefined && now - h.lastAt < MERGE_WINDOW_MS;
  const past = merge ? h.past : [...h.past, h.present].slice(-DEPTH);
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
