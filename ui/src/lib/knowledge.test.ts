import { describe, expect, it } from 'vitest';
import { pending, progress, size, sourceLabel } from './knowledge';
import type { KbDocument, Passage } from './knowledge';

const doc = (over: Partial<KbDocument>): KbDocument => ({ id: 1, name: 'guide.md', media_type: 'text/markdown',
  size: 10, status: 'queued', reason: null, chunks: { done: 0, total: null }, ...over });

describe('progress', () => {
  it('fills the bar with the chunks embedded so far', () => {
    expect(progress(doc({ status: 'embedding', chunks: { done: 3, total: 8 } })))
      .toEqual({ percent: 37, label: 'embedding · 3/8 chunks' });
  });
  it('is empty and says the status before the total is known', () => {
    expect(progress(doc({ status: 'parsing' }))).toEqual({ percent: 0, label: 'parsing' });
  });
  it('is full when the document is ready or failed', () => {
    expect(progress(doc({ status: 'ready', chunks: { done: 2, total: 2 } }))).toEqual({ percent: 100, label: 'ready · 2 chunks' });
    expect(progress(doc({ status: 'ready', chunks: { done: 1, total: 1 } })).label).toBe('ready · 1 chunk');
    expect(progress(doc({ status: 'failed', reason: 'corrupt' })).label).toBe('failed');
  });
});

describe('pending', () => {
  it('is true while any document is not finished', () => {
    expect(pending([doc({ status: 'ready' }), doc({ status: 'embedding' })])).toBe(true);
    expect(pending([doc({ status: 'ready' }), doc({ status: 'failed' })])).toBe(false);
  });
});

describe('sourceLabel', () => {
  const hit = (page: number | null, section: string | null, documentId = 1): Passage => ({ chunk_id: 1,
    document_id: documentId, text: 't', score: 1, vector_score: 1, text_score: null,
    source: { page, section, start: 0, end: 1 } });
  it('names the document, its page and section', () => {
    expect(sourceLabel(hit(3, 'Refunds'), [doc({})])).toBe('guide.md · p. 3 · Refunds');
    expect(sourceLabel(hit(null, null), [doc({})])).toBe('guide.md');
  });
  it('falls back to the id of a document no longer listed', () => {
    expect(sourceLabel(hit(null, null, 9), [doc({})])).toBe('document 9');
  });
});

describe('size', () => {
  it('reads as bytes, KB or MB', () => {
    expect(size(900)).toBe('900 B');
    expect(size(2048)).toBe('2.0 KB');
    expect(size(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
