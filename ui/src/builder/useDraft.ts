// The builder's document: undo/redo history, autosave of the draft (a refused save keeps the edits, here and in
// the browser's storage, and shows the server's problems), and publishing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describe, get, post, put } from '../lib/api';
import * as history from '../lib/history';
import { meaning } from '../lib/versions';
import type { Flow, FlowDoc, Problem } from '../lib/types';

export const AUTOSAVE_MS = 700;
export type SaveState = 'saved' | 'pending' | 'saving' | 'refused' | 'offline';
const storageKey = (flowId: number) => `weft.draft.${flowId}`;

/**
 * `readOnly` (issue 15: a member whose role may not build): the document never changes and nothing is ever sent —
 * change, undo and redo do nothing, no autosave runs, flush answers true without saving, publish refuses.
 */
export function useDraft(flowId: number, initial: Flow, restored: FlowDoc | null, readOnly = false) {
  const [h, setH] = useState(() => history.start((readOnly ? null : restored) ?? initial.document));
  const [state, setState] = useState<SaveState>(restored && !readOnly ? 'pending' : 'saved');
  const [refused, setRefused] = useState<{ doc: FlowDoc; errors: Problem[] } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [latest, setLatest] = useState<number | null>(initial.latest_version);
  const saved = useRef(stored(initial.document));
  // Counts edits, so a save that ends after a newer edit leaves the state pending (that edit is saved next)
  // instead of showing "Saved" over it.
  const edits = useRef(0);
  const published = useRef<{ version: number; meaning: string } | null>(null);
  const doc = h.present;

  const save = useCallback(async (current: FlowDoc): Promise<boolean> => {
    if (readOnly) return true;
    if (stored(current) === saved.current && !refused) { setState('saved'); return true; }
    setState('saving');
    const at = edits.current;
    const settle = (outcome: SaveState) => setState(edits.current === at ? outcome : 'pending');
    try {
      const flow = await put<Flow>(`/api/v1/flows/${flowId}`, current);
      saved.current = stored(current);
      if (edits.current === at) localStorage.removeItem(storageKey(flowId));
      setRefused(null);
      setMessage(null);
      settle('saved');
      setLatest(flow.latest_version);
      return true;
    } catch (e) {
      localStorage.setItem(storageKey(flowId), JSON.stringify(current));
      if (e instanceof ApiError && e.status === 400) {
        setRefused({ doc: current, errors: e.errors });
        setMessage(null);
        settle('refused');
      } else {
        setMessage(describe(e));
        settle('offline');
      }
      return false;
    }
  }, [flowId, refused, readOnly]);

  useEffect(() => {
    if (state !== 'pending' || readOnly) return;
    const timer = setTimeout(() => save(doc), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [doc, state, save, readOnly]);

  const change = useCallback((next: FlowDoc, key?: string) => {
    if (readOnly) return;
    edits.current++;
    setH((current) => history.record(current, next, key));
    setState('pending');
  }, [readOnly]);
  const undo = useCallback(() => { if (readOnly) return; edits.current++; setH(history.undo); setState('pending'); }, [readOnly]);
  const redo = useCallback(() => { if (readOnly) return; edits.current++; setH(history.redo); setState('pending'); }, [readOnly]);

  /** Saves now, then publishes the draft unless the latest version already holds it; the version to run. */
  const publish = useCallback(async (): Promise<{ version: number; fresh: boolean }> => {
    if (readOnly) throw new Error('Your role may not publish flows.');
    if (!(await save(doc))) throw new Error('The draft has problems: fix the nodes marked in red, then publish.');
    const now = meaning(doc);
    if (latest !== null) {
      if (!published.current || published.current.version !== latest) {
        const v = await get<{ document: FlowDoc }>(`/api/v1/flows/${flowId}/versions/${latest}`);
        published.current = { version: latest, meaning: meaning(v.document) };
      }
      if (published.current.meaning === now) return { version: latest, fresh: false };
    }
    const made = await post<{ version: number }>(`/api/v1/flows/${flowId}/publish`);
    published.current = { version: made.version, meaning: now };
    setLatest(made.version);
    return { version: made.version, fresh: true };
  }, [doc, flowId, latest, save, readOnly]);

  const unpublished = latest === null || (published.current?.version === latest ? published.current.meaning !== meaning(doc) : true);
  const discard = useCallback(() => {
    localStorage.removeItem(storageKey(flowId));
    setH(history.start(initial.document));
    setRefused(null);
    setState('saved');
  }, [flowId, initial]);

  /** drafts: saves the draft now (a test-run runs the draft as the server holds it); false when refused. */
  const flush = useCallback(() => save(doc), [doc, save]);

  return { flush, doc, change, undo, redo, canUndo: !readOnly && h.past.length > 0, canRedo: !readOnly && h.future.length > 0,
    state, refused, message, latest, publish, unpublished, discard, readOnly };
}

/** An edit the server refused before (kept in this browser), when it differs from the stored draft. */
export function restoredDraft(flowId: number, server: FlowDoc): FlowDoc | null {
  const kept = localStorage.getItem(storageKey(flowId));
  if (!kept) return null;
  try {
    const doc = JSON.parse(kept) as FlowDoc;
    return meaning(doc) === meaning(server) ? null : doc;
  } catch {
    return null;
  }
}

/** The draft as saved: positions and notes included, so a moved node or a tidied layout is kept too. */
const stored = (doc: FlowDoc) => JSON.stringify(doc);
