// Knowledge bases as the Knowledge page shows them: the API's shapes, a document's progress, a passage's source.

export interface KnowledgeBase {
  id: number; name: string; description?: string | null;
  embedding: { provider: string; model: string; dimension: number };
  chunking: { tokens: number; overlap: number }; version: number; created_at: string;
}

export type DocStatus = 'queued' | 'parsing' | 'embedding' | 'ready' | 'failed';

export interface KbDocument {
  id: number; name: string; media_type: string; size: number; status: DocStatus; reason: string | null;
  chunks: { done: number; total: number | null }; created_at?: string;
}

export interface Passage {
  chunk_id: number; document_id: number; text: string; score: number;
  vector_score: number | null; text_score: number | null;
  source: { page: number | null; section: string | null; start: number; end: number };
  metadata?: Record<string, string>;
}

/** A document's ingest as a bar: how full (0-100) and what it says. Unknown totals show an empty, labelled bar. */
export function progress(doc: KbDocument): { percent: number; label: string } {
  if (doc.status === 'ready') return { percent: 100, label: `ready · ${doc.chunks.done} chunk${doc.chunks.done === 1 ? '' : 's'}` };
  if (doc.status === 'failed') return { percent: 100, label: 'failed' };
  if (doc.chunks.total === null || doc.chunks.total === 0) return { percent: 0, label: doc.status };
  const percent = Math.min(100, Math.floor((doc.chunks.done * 100) / doc.chunks.total));
  return { percent, label: `${doc.status} · ${doc.chunks.done}/${doc.chunks.total} chunks` };
}

/** True while a document still changes: the page keeps polling. */
export const pending = (docs: KbDocument[]) => docs.some((d) => d.status !== 'ready' && d.status !== 'failed');

/** Where a passage comes from, as a reader cites it: {@code guide.md · p. 3 · Refunds}. */
export function sourceLabel(passage: Passage, documents: KbDocument[]): string {
  const doc = documents.find((d) => d.id === passage.document_id);
  const parts = [doc ? doc.name : `document ${passage.document_id}`];
  if (passage.source.page !== null) parts.push(`p. ${passage.source.page}`);
  if (passage.source.section) parts.push(passage.source.section);
  return parts.join(' · ');
}

/** A size in bytes as people read it. */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
