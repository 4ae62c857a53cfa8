// drafts: a chat with a flow whose start takes a `message` (and maybe a `session_id`): each message runs the draft
// (a test-run) or the published version, streams the answer as the model writes it and lists the steps; the same
// session_id goes with every message of a conversation, so memory nodes remember it.
import { useRef, useState } from 'react';
import { describe, postStream } from '../lib/api';
import { answerText, chatStart, newSessionId } from '../lib/playground';
import type { FlowDoc, Json, Task } from '../lib/types';
import { Badge, Button, ErrorNote } from '../kit/kit';

interface StepLine { node: string; state: string; ms?: number }
interface Message { role: 'user' | 'assistant'; text: string; taskId?: number; steps: StepLine[]; done?: boolean; error?: string }

export function Playground({ flowId, doc, latest, flush, onClose, publishedOnly }: {
  flowId: number; doc: FlowDoc; latest: number | null; flush: () => Promise<boolean>; onClose: () => void;
  /** issue 15: a role that may run but not build chats with the published version only. */
  publishedOnly?: boolean;
}) {
  const chat = chatStart(doc);
  const [chosen, setMode] = useState<'draft' | 'published'>('draft');
  const mode = publishedOnly ? 'published' : chosen;
  const [messages, setMessages] = useState<Message[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [session, setSession] = useState(newSessionId);
  const list = useRef<HTMLDivElement>(null);

  const update = (f: (m: Message) => Message) => setMessages((all) => [...all.slice(0, -1), f(all[all.length - 1])]);
  const send = async () => {
    if (!chat || !text.trim() || busy) return;
    const message = text.trim();
    setText('');
    setError(null);
    setBusy(true);
    setMessages((all) => [...all, { role: 'user', text: message, steps: [] }, { role: 'assistant', text: '', steps: [] }]);
    const data: Record<string, Json> = { message };
    if (chat.session) data.session_id = session;
    const body = { start_node_id: chat.start, node_settings: { [chat.start]: { data } } };
    try {
      if (mode === 'draft' && !(await flush())) throw new Error('The draft has problems: fix the nodes marked in red first.');
      const path = mode === 'draft' ? `/api/v1/flows/${flowId}/test-runs?stream=true`
        : `/api/v1/scade/flow/${flowId}/execute?stream=true`;
      await postStream(path, body, ({ event, data: d }) => {
        const e = (d ?? {}) as Record<string, Json>;
        if (event === 'task.accepted') update((m) => ({ ...m, taskId: e.id as number }));
        else if (event === 'delta' && typeof e.text === 'string') update((m) => ({ ...m, text: m.text + e.text }));
        else if (event === 'step.finished' || event === 'step.failed') {
          update((m) => ({ ...m, steps: [...m.steps, { node: String(e.node_id), state: String(e.state),
            ms: typeof e.duration_ms === 'number' ? e.duration_ms : undefined }] }));
        } else if (event === 'task.finished') {
          const task = e as unknown as Task;
          update((m) => ({ ...m, done: true, text: task.status === 3 ? answerText(task.result) : m.text,
            error: task.error ? `${task.error.node_id ? `${task.error.node_id}: ` : ''}${task.error.message}` : undefined }));
        }
        list.current?.scrollTo({ top: list.current.scrollHeight });
      });
    } catch (e) {
      update((m) => ({ ...m, done: true, error: describe(e) }));
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  const restart = () => { setMessages([]); setSession(newSessionId()); setError(null); };

  return (
    <div className="panel playground" data-test="playground">
      <header className="panel-head"><h3>Playground</h3><button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>×</button></header>
      {!chat ? <p className="muted small" data-test="playground-unfit">The playground chats with a flow whose start node takes
        an input named <span className="mono">message</span> (and, for memory, <span className="mono">session_id</span>).</p> : <>
        <div className="playground-bar">
          <select value={mode} data-test="playground-mode" onChange={(e) => setMode(e.target.value as 'draft' | 'published')}>
            <option value="draft" disabled={publishedOnly}>Draft (test-run)</option>
            <option value="published" disabled={latest === null}>Published{latest !== null ? ` v${latest}` : ' (none yet)'}</option>
          </select>
          {chat.session && <span className="muted small mono playground-session" title="Sent as session_id with every message" data-test="playground-session">{session}</span>}
          <Button small variant="ghost" onClick={restart} data-test="playground-new">New chat</Button>
        </div>
        <div className="chat" ref={list} data-test="chat">
          {messages.length === 0 && <p className="muted small">Send a message to run the flow.</p>}
          {messages.map((m, i) => (
            <div key={i} className={`chat-msg chat-${m.role}`} data-test={`chat-${m.role}`}>
              <div className="chat-text">{m.text || (m.role === 'assistant' && !m.done ? '…' : '')}</div>
              {m.error && <div className="note note-error small">{m.error}</div>}
              {m.role === 'assistant' && (m.steps.length > 0 || m.taskId) && <details className="chat-steps" data-test="chat-steps">
                <summary className="muted small">{m.steps.length} step{m.steps.length === 1 ? '' : 's'}
                  {m.taskId && <> · task <a href={`#/tasks/${m.taskId}`} className="mono">#{m.taskId}</a></>}</summary>
                <ul className="step-list">{m.steps.map((s) => <li key={s.node}><Badge state={s.state} /> <span className="mono">{s.node}</span>
                  {s.ms !== undefined && <span className="muted"> {s.ms} ms</span>}</li>)}</ul>
              </details>}
            </div>))}
        </div>
        <ErrorNote error={error} />
        <form className="chat-input" onSubmit={(e) => { e.preventDefault(); send(); }}>
          <textarea rows={2} value={text} placeholder="Message" data-test="chat-input" onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); } }} />
          <Button variant="primary" type="submit" disabled={busy || !text.trim()} data-test="chat-send">{busy ? '…' : 'Send'}</Button>
        </form>
      </>}
    </div>
  );
}
