// The flow builder: palette, canvas, and a side panel (overview, the selected node, or the run); publish dialog.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { describe, get, post } from '../lib/api';
import { BUILTIN_TYPES } from '../lib/catalogue';
import { addNode, freeSpot, layout, problemsByNode, removeNodes } from '../lib/flowGraph';
import { nodeRuns } from '../lib/runState';
import type { Flow, FlowDoc, NodeTypeInfo, Task } from '../lib/types';
import { useTaskWatch } from '../lib/watch';
import { Button, ErrorNote, useToast } from '../kit/kit';
import { FlowCanvas } from './FlowCanvas';
import { Inspector } from './Inspector';
import { OverviewPanel } from './OverviewPanel';
import { Palette } from './Palette';
import { PublishDialog } from './PublishDialog';
import { RunPanel } from './RunPanel';
import { NodeTest } from './NodeTest';
import { Playground } from './Playground';
import type { RunRequest } from './RunPanel';
import { restoredDraft, useDraft } from './useDraft';

export default function BuilderPage({ flowId }: { flowId: number }) {
  const [loaded, setLoaded] = useState<{ flow: Flow; types: NodeTypeInfo[]; restored: FlowDoc | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([get<Flow>(`/api/v1/flows/${flowId}`),
      get<{ node_types: NodeTypeInfo[] }>('/api/v1/node-types').then((r) => r.node_types).catch(() => BUILTIN_TYPES)])
      .then(([flow, types]) => {
        const shown = { ...flow, document: layout(flow.document) };
        setLoaded({ flow: shown, types, restored: restoredDraft(flowId, shown.document) });
      })
      .catch((e) => setError(describe(e)));
  }, [flowId]);
  if (error) return <div className="page"><ErrorNote error={error} /><a href="#/flows">Back to flows</a></div>;
  if (!loaded) return <div className="loading">Loading flow…</div>;
  return <ReactFlowProvider><Builder flowId={flowId} {...loaded} /></ReactFlowProvider>;
}

const SAVE_LABELS = { saved: 'Saved', pending: 'Editing…', saving: 'Saving…', refused: 'Not saved', offline: 'Not saved' };

function Builder({ flowId, flow, types, restored }: { flowId: number; flow: Flow; types: NodeTypeInfo[]; restored: FlowDoc | null }) {
  const draft = useDraft(flowId, flow, restored);
  const { doc, change } = draft;
  const toast = useToast();
  const reactFlow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [taskId, setTaskId] = useState<number | null>(null);
  const [publishing, setPublishing] = useState<{ version: number; fresh: boolean } | null>(null);
  const [chatting, setChatting] = useState(false);   // drafts: the playground panel
  const watched = useTaskWatch(taskId);

  const { byNode, general } = useMemo(() => (draft.refused ? problemsByNode(draft.refused.doc, draft.refused.errors)
    : { byNode: new Map<string, string[]>(), general: [] as string[] }), [draft.refused]);
  const runs = useMemo(() => (taskId ? nodeRuns(doc, watched.task, watched.steps, watched.started) : undefined),
    [doc, taskId, watched]);

  const add = useCallback((type: string, at?: { x: number; y: number }) => {
    let position = at;
    if (!position) {
      const box = canvas.current!.getBoundingClientRect();
      position = freeSpot(doc, reactFlow.screenToFlowPosition({ x: box.left + box.width / 2 - 120, y: box.top + box.height / 4 }));
    }
    const made = addNode(doc, type, position);
    change(made.doc, 'add');
    setSelected(made.id);
  }, [doc, change, reactFlow]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable]')) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') { e.preventDefault(); if (e.shiftKey) draft.redo(); else draft.undo(); }
      else if (mod && e.key.toLowerCase() === 'y') { e.preventDefault(); draft.redo(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft]);

  // drafts: the Run panel test-runs the draft as saved (nothing is published)
  const run = async (r: RunRequest) => {
    if (!(await draft.flush())) throw new Error('The draft has problems: fix the nodes marked in red, then run it.');
    const task = await post<Task>(`/api/v1/flows/${flowId}/test-runs`, { start_node_id: r.start, end_node_id: r.end,
      result_node_id: r.end, node_settings: { [r.start]: { data: r.inputs } } });
    setTaskId(task.id);
  };
  const publish = async () => {
    try { setPublishing(await draft.publish()); } catch (e) { toast(describe(e), 'error'); }
  };

  const problemCount = draft.refused?.errors.length ?? 0;
  return (
    <div className="builder">
      <div className="builder-bar">
        <a href="#/flows" className="muted">Flows</a><span className="muted">/</span>
        <span className="strong">{doc.name || 'Untitled flow'}</span>
        <span className={`save save-${draft.state}`} data-test="save-state" title={draft.message ?? ''}>
          {SAVE_LABELS[draft.state]}{draft.state === 'refused' ? ` — ${problemCount} problem${problemCount === 1 ? '' : 's'}` : ''}</span>
        {restored && draft.state !== 'saved' && <Button small variant="ghost" onClick={draft.discard}
          title="Go back to the draft stored on the server">Discard unsaved edits</Button>}
        <span className="spacer" />
        <Button small onClick={draft.undo} disabled={!draft.canUndo} title="Undo (Ctrl+Z)">Undo</Button>
        <Button small onClick={draft.redo} disabled={!draft.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</Button>
        <Button small onClick={() => reactFlow.fitView({ padding: 0.2, duration: 200 })} title="Zoom to fit">Fit</Button>
        <Button small onClick={() => { setRunning(!running); setChatting(false); }} data-test="open-run">Run</Button>
        <Button small onClick={() => { setChatting(!chatting); setRunning(false); }} data-test="open-playground"
          title="Chat with a flow whose start takes a message">Playground</Button>
        <Button small variant="primary" onClick={publish} data-test="publish">Publish</Button>
      </div>
      {draft.state === 'offline' && <div className="note note-error banner">{draft.message} Your edits are kept in this browser.</div>}
      <div className="builder-body">
        <Palette types={types} onAdd={(t) => add(t)} />
        <div className="canvas" ref={canvas} data-test="canvas">
          <FlowCanvas doc={doc} types={types} problems={byNode} runs={runs} onChange={change}
            onRefuse={(reason) => toast(reason, 'error')} onSelect={setSelected} onDropType={(t, p) => add(t, p)} />
        </div>
        <div className="side">
          {chatting ? <Playground flowId={flowId} doc={doc} latest={draft.latest} flush={draft.flush} onClose={() => setChatting(false)} />
            : running ? <RunPanel flowId={flowId} doc={doc} unpublished={draft.unpublished} latest={draft.latest} watched={{ ...watched, taskId }} onRun={run}
            onClose={() => setRunning(false)} />
            : selected && doc.nodes.some((n) => n.id === selected)
              ? <Inspector doc={doc} types={types} nodeId={selected} problems={byNode.get(selected)} run={runs?.get(selected)}
                  onChange={change} onDelete={() => { change(removeNodes(doc, new Set([selected])), 'delete'); setSelected(null); }}>
                  <NodeTest flowId={flowId} doc={doc} node={doc.nodes.find((n) => n.id === selected)!} lastSteps={watched.steps}
                    flush={draft.flush} onPin={(pin) => change({ ...doc, nodes: doc.nodes.map((n) => (n.id !== selected ? n
                      : pin ? { ...n, pinned: pin } : (({ pinned: _, ...rest }) => rest)(n))) }, `${selected}.pinned`)} />
                </Inspector>
              : <OverviewPanel doc={doc} general={general} latest={draft.latest} onChange={change} />}
        </div>
      </div>
      {publishing && <PublishDialog flowId={flowId} doc={doc} version={publishing.version} fresh={publishing.fresh}
        onClose={() => setPublishing(null)} />}
    </div>
  );
}
