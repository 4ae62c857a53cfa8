import { useCallback, useEffect, useState } from 'react';
import { del, describe, get, post, upload } from '../lib/api';
import { pending, progress, size, sourceLabel } from '../lib/knowledge';
import type { KbDocument, KnowledgeBase, Passage } from '../lib/knowledge';
import { Button, Confirm, Dialog, Empty, ErrorNote, Field, useToast } from '../kit/kit';
import { useCan } from '../lib/role';

const BASE = '/api/v1/knowledge-bases';
const POLL_MS = 1000;

/** Knowledge bases: create one, drop documents in and follow their ingest, read their chunks, try a search. */
export function KnowledgePage() {
  const [kbs, setKbs] = useState<KnowledgeBase[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canBuild = useCan('build');   // issue 15: others read the bases, their documents and chunks

  const load = useCallback(() => get<{ knowledge_bases: KnowledgeBase[] }>(BASE)
    .then((r) => {
      setKbs(r.knowledge_bases);
      setSelected((s) => (s !== null && r.knowledge_bases.some((k) => k.id === s) ? s : r.knowledge_bases[0]?.id ?? null));
    })
    .catch((e) => setError(describe(e))), []);
  useEffect(() => { load(); }, [load]);
  const kb = kbs?.find((k) => k.id === selected) ?? null;

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>Knowledge</h1><p className="muted">Documents your flows search with the <code>kb_search</code> node:
          parsed, cut into chunks and embedded here, offline.</p></div>
        {canBuild && <Button variant="primary" onClick={() => setCreating(true)} data-test="new-kb">New Knowledge Base</Button>}
      </header>
      <ErrorNote error={error} />
      {kbs && kbs.length === 0 && <Empty title="No knowledge bases">
        <p>{canBuild ? <>Make one with <b>New Knowledge Base</b>, then drop PDF, DOCX, HTML, Markdown, text or CSV files in.</>
          : 'An editor makes knowledge bases.'}</p></Empty>}
      {kbs && kbs.length > 0 && <div className="kb-layout">
        <ul className="kb-list">{kbs.map((k) => (
          <li key={k.id}><button type="button" className={k.id === selected ? 'kb-item active' : 'kb-item'}
            onClick={() => setSelected(k.id)} data-test="kb-item">
            <span className="strong">{k.name}</span>
            <span className="muted small">{k.embedding.model} · {k.embedding.dimension} dims</span></button></li>))}
        </ul>
        {kb && <KnowledgeBaseView key={kb.id} kb={kb} onDeleted={load} />}
      </div>}
      {creating && <NewKbDialog onClose={() => setCreating(false)}
        onCreated={(k) => { setCreating(false); setSelected(k.id); load(); }} />}
    </div>
  );
}

function KnowledgeBaseView({ kb, onDeleted }: { kb: KnowledgeBase; onDeleted: () => void }) {
  const [docs, setDocs] = useState<KbDocument[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [open, setOpen] = useState<KbDocument | null>(null);
  const [deleting, setDeleting] = useState(false);
  const toast = useToast();
  const canBuild = useCan('build');   // issue 15: uploads, removals and searches (a POST) are building

  const load = useCallback(() => get<{ documents: KbDocument[] }>(`${BASE}/${kb.id}/documents`)
    .then((r) => setDocs(r.documents)).catch((e) => setError(describe(e))), [kb.id]);
  useEffect(() => { load(); }, [load]);
  useEffect(() => {
    if (!pending(docs)) return undefined;
    const timer = window.setTimeout(load, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [docs, load]);

  const send = async (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const form = new FormData();
      form.append('file', file, file.name);
      try {
        await upload(`${BASE}/${kb.id}/documents`, form);
      } catch (e) {
        toast(`${file.name}: ${describe(e)}`, 'error');
      }
    }
    load();
  };

  return (
    <section className="kb-view">
      <div className="kb-head">
        <h2>{kb.name}</h2>
        <span className="muted small">chunks of {kb.chunking.tokens} tokens, {kb.chunking.overlap} overlap</span>
        <span className="spacer" />
        {canBuild && <Button small variant="ghost" onClick={() => setDeleting(true)} data-test="kb-delete">Delete</Button>}
      </div>
      <ErrorNote error={error} />
      {canBuild && <label className={dragging ? 'kb-drop kb-drop-over' : 'kb-drop'} data-test="kb-drop"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); send(e.dataTransfer.files); }}>
        Drop files here or <u>choose files</u>
        <input type="file" multiple hidden data-test="kb-file" onChange={(e) => { send(e.target.files); e.target.value = ''; }} />
      </label>}
      {docs.length > 0 && <table className="table">
        <thead><tr><th>Document</th><th>Size</th><th>Ingest</th><th /></tr></thead>
        <tbody>{docs.map((d) => {
          const bar = progress(d);
          return (
            <tr key={d.id} data-test="kb-doc" data-status={d.status}>
              <td className="strong">{d.name}<div className="muted small">{d.media_type}</div></td>
              <td>{size(d.size)}</td>
              <td className="kb-progress">
                <div className={`kb-bar kb-bar-${d.status}`}><div style={{ width: `${bar.percent}%` }} /></div>
                <span className="small" data-test="kb-doc-status">{bar.label}</span>
                {d.reason && <div className="small kb-error">{d.reason}</div>}
              </td>
              <td className="row-actions">
                <Button small variant="ghost" onClick={() => setOpen(d)} disabled={d.status !== 'ready'}>Chunks</Button>
                {canBuild && <Button small variant="ghost" onClick={() => del(`${BASE}/${kb.id}/documents/${d.id}`).then(load)
                  .catch((e) => toast(describe(e), 'error'))}>Remove</Button>}
              </td>
            </tr>);
        })}</tbody>
      </table>}
      {canBuild && <SearchBox kb={kb} docs={docs} />}
      {open && <ChunksDialog kb={kb} doc={open} onClose={() => setOpen(null)} />}
      {deleting && <Confirm title="Delete knowledge base" action="Delete" onClose={() => setDeleting(false)}
        message={<>Delete “{kb.name}”, its documents and chunks? Flows that search it will fail.</>}
        onConfirm={() => del(`${BASE}/${kb.id}`).then(() => { toast(`Deleted “${kb.name}”`); onDeleted(); })
          .catch((e) => toast(describe(e), 'error'))} />}
    </section>
  );
}

function SearchBox({ kb, docs }: { kb: KnowledgeBase; docs: KbDocument[] }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Passage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setResults((await post<{ results: Passage[] }>(`${BASE}/${kb.id}/search`, { query, top_k: 5 })).results);
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <div className="kb-search">
      <h2 className="section">Try a search</h2>
      <form className="kb-search-row" onSubmit={search}>
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Ask what a flow would ask…"
          data-test="kb-query" />
        <Button variant="primary" type="submit" data-test="kb-search">Search</Button>
      </form>
      <ErrorNote error={error} />
      {results && results.length === 0 && <p className="muted">No passage found.</p>}
      {results && results.map((r) => (
        <article key={r.chunk_id} className="kb-passage" data-test="kb-result">
          <header><span className="kb-score" data-test="kb-score">{r.score.toFixed(2)}</span>
            <span className="muted small">{sourceLabel(r, docs)}</span>
            <span className="muted small">meaning {r.vector_score === null ? '–' : r.vector_score.toFixed(2)}
              {' · '}words {r.text_score === null ? '–' : r.text_score.toFixed(2)}</span></header>
          <p className="kb-passage-text">{r.text}</p>
        </article>))}
    </div>
  );
}

function ChunksDialog({ kb, doc, onClose }: { kb: KnowledgeBase; doc: KbDocument; onClose: () => void }) {
  const [chunks, setChunks] = useState<{ id: number; ordinal: number; text: string; tokens: number }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ chunks: { id: number; ordinal: number; text: string; tokens: number }[] }>(
      `${BASE}/${kb.id}/documents/${doc.id}/chunks`).then((r) => setChunks(r.chunks)).catch((e) => setError(describe(e)));
  }, [kb.id, doc.id]);
  return (
    <Dialog title={`Chunks of ${doc.name}`} onClose={onClose} wide
      footer={<Button variant="primary" onClick={onClose}>Close</Button>}>
      <ErrorNote error={error} />
      {chunks && chunks.map((c) => (
        <article key={c.id} className="kb-passage"><header><span className="muted small">#{c.ordinal + 1} · {c.tokens} tokens</span></header>
          <p className="kb-passage-text">{c.text}</p></article>))}
    </Dialog>
  );
}

function NewKbDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (kb: KnowledgeBase) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!name.trim()) { setError('Give it a name: flows name it in kb_search.'); return; }
    try {
      onCreated(await post<KnowledgeBase>(BASE, description.trim()
        ? { name: name.trim(), description: description.trim() } : { name: name.trim() }));
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <Dialog title="New Knowledge Base" onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={() => submit()} data-test="create-kb">Create</Button></>}>
      <form onSubmit={submit}>
        <Field label="Name" hint="How flows name it (kb_search's knowledge_base), such as handbook.">
          <input value={name} onChange={(e) => setName(e.target.value)} data-test="kb-name" /></Field>
        <Field label="Description"><input value={description} onChange={(e) => setDescription(e.target.value)} /></Field>
        <p className="muted small">Embedded with the local model shipped in Weft (all-MiniLM-L6-v2, 384 dimensions):
          no network, no key. Other models: <code>POST {BASE}</code>.</p>
        <ErrorNote error={error} />
      </form>
    </Dialog>
  );
}
