// The flow builder: palette, canvas, and a side panel (overview, the selected node, or the run); publish dialog.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { describe, get, post } from '../lib/api';
import { addNode, isUnconnected, layout, placeNew, problemsByNode, removeNodes } from '../lib/flowGraph';
import { nodeRuns } from '../lib/runState';
import type { Flow, FlowDoc, NodeTypeInfo, Task } from '../lib/types';
import { useTaskWatch } from '../lib/watch';
import { Button, ErrorNote, useToast } from '../kit/kit';
import { FlowCanvas, useViewRect } from './FlowCanvas';
import type { CanvasApi } from './FlowCanvas';
import { Inspector } from './Inspector';
import { OverviewPanel } from './OverviewPanel';
import { Palette } from './Palette';
import { PublishDialog } from './PublishDialog';
import { ShareFormDialog } from './ShareFormDialog';
import { RunPanel } from './RunPanel';
import { NodeTest } from './NodeTest';
import { Playground } from './Playground';
import { ShortcutsPanel } from './ShortcutsPanel';
import type { RunRequest } from './RunPanel';
import { restoredDraft, useDraft } from './useDraft';
import { readOnlyHint, readOnlyNotice, useAccess } from '../lib/role';

export default function BuilderPage({ flowId }: { flowId: number }) {
  const [loaded, setLoaded] = useState<{ flow: Flow; types: NodeTypeInfo[]; restored: FlowDoc | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([get<Flow>(`/api/v1/flows/${flowId}`),
      get<{ node_types: NodeTypeInfo[] }>('/api/v1/node-types').then((r) => r.node_types)])
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
  // issue 15: a member whose role may not build gets a read-only builder (nothing is ever sent to change the flow);
  // one who may run runs the published version
  const access = useAccess();
  const canRun = access.permissions.has('run');
  const readOnly = !access.permissions.has('build');
  const notice = readOnlyNotice(access);
  const draft = useDraft(flowId, flow, restored, readOnly);
  const { doc, change } = draft;
  const toast = useToast();
  const reactFlow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const canvasApi = useRef<CanvasApi>(null);
  const viewRect = useViewRect();
  const [kept, setPanels] = useState(readPanels);
  const panels = readOnly ? { ...kept, palette: false } : kept;
  const [help, setHelp] = useState(false);
  const togglePanel = useCallback((which: 'palette' | 'side') => setPanels((p) => {
    const next = { ...p, [which]: !p[which] };
    localStorage.setItem(PANELS_KEY, JSON.stringify(next));
    return next;
  }), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [taskId, setTaskId] = useState<number | null>(null);
  const [publishing, setPublishing] = useState<{ version: number; fresh: boolean } | null>(null);
  const [chatting, setChatting] = useState(false);   // drafts: the playground panel
  const [sharing, setSharing] = useState(false);   // the Share as form dialog
  const watched = useTaskWatch(taskId);

  const { byNode, general } = useMemo(() => (draft.refused ? problemsByNode(draft.refused.doc, draft.refused.errors)
    : { byNode: new Map<string, string[]>(), general: [] as string[] }), [draft.refused]);
  const onlyUnconnected = !!draft.refused && draft.refused.errors.every((p) => isUnconnected(p.message));
  const runs = useMemo(() => (taskId ? nodeRuns(doc, watched.task, watched.steps, watched.started) : undefined),
    [doc, taskId, watched]);

  const add = useCallback((type: string, at?: { x: number; y: number }) => {
    // a click on the palette: beside the selected node, else near the middle of the view; in view either way
    const anchor = selected ? doc.nodes.find((n) => n.id === selected)?.position : undefined;
    const position = at ?? placeNew(doc, viewRect(), anchor);
    const made = addNode(doc, type, position);
    change(made.doc, 'add');
    setSelected(made.id);
  }, [doc, change, viewRect, selected]);

  // the canvas's own shortcuts (copy, paste, duplicate are the canvas's): layout, note, fit, panels, help
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable]') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') { e.preventDefault(); setHelp((h) => !h); }
      else if (!readOnly && e.shiftKey && e.key.toLowerCase() === 'l') { e.preventDefault(); canvasApi.current?.autoLayout(); }
      else if (!readOnly && e.shiftKey && e.key.toLowerCase() === 'n') { e.preventDefault(); canvasApi.current?.addNote(); }
      else if (e.shiftKey && e.key.toLowerCase() === 'f') { e.preventDefault(); reactFlow.fitView({ padding: 0.2, duration: 200 }); }
      else if (e.key === '[') togglePanel('palette');
      else if (e.key === ']') togglePanel('side');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reactFlow, togglePanel, readOnly]);

  useEffect(() => {
    if (readOnly) return;   // no undo or redo where nothing changes
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable]')) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') { e.preventDefault(); if (e.shiftKey) draft.redo(); else draft.undo(); }
      else if (mod && e.key.toLowerCase() === 'y') { e.preventDefault(); draft.redo(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft, readOnly]);

  // drafts: the Run panel test-runs the draft as saved (nothing is published)
  const run = async (r: RunRequest) => {
    if (readOnly) {
      // issue 15: a runner may not test-run the draft (that is building); they run the published version
      if (draft.latest === null) throw new Error('This flow is not published yet: an editor publishes it, then it can be run.');
      const task = await post<Task>(`/api/v1/scade/flow/${flowId}/execute`, { start_node_id: r.start, end_node_id: r.end,
        result_node_id: r.end, node_settings: { [r.start]: { data: r.inputs } } });
      setTaskId(task.id);
      return;
    }
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
        {!readOnly && <button type="button" className={`panel-toggle${panels.palette ? ' open' : ''}`} onClick={() => togglePanel('palette')}
          title={`${panels.palette ? 'Hide' : 'Show'} the nodes ([)`} aria-pressed={panels.palette} data-test="toggle-palette">Nodes</button>}
        <a href="#/flows" className="muted">Flows</a><span className="muted">/</span>
        <span className="strong">{doc.name || 'Untitled flow'}</span>
        {notice ? <span className="read-only-note" data-test="read-only" title={readOnlyHint(access)}>{notice}</span>
          : <span className={`save save-${draft.state}`} data-test="save-state" title={draft.message ?? ''}>
          {SAVE_LABELS[draft.state]}{draft.state !== 'refused' ? '' : onlyUnconnected ? ' — connect the new node'
          : ` — ${problemCount} problem${problemCount === 1 ? '' : 's'}`}</span>}
        {!readOnly && restored && draft.state !== 'saved' && <Button small variant="ghost" onClick={draft.discard}
          title="Go back to the draft stored on the server">Discard unsaved edits</Button>}
        <span className="spacer" />
        {!readOnly && <>
          <Button small onClick={draft.undo} disabled={!draft.canUndo} title="Undo (Ctrl+Z)">Undo</Button>
          <Button small onClick={draft.redo} disabled={!draft.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</Button></>}
        <Button small onClick={() => reactFlow.fitView({ padding: 0.2, duration: 200 })} title="Zoom to fit (Shift+F)">Fit</Button>
        {!readOnly && <>
          <Button small onClick={() => canvasApi.current?.autoLayout()} title="Lay the flow out left to right (Shift+L)"
            data-test="auto-layout">Tidy up</Button>
          <Button small onClick={() => canvasApi.current?.addNote()} title="Add a sticky note (Shift+N)" data-test="add-note">Note</Button></>}
        <Button small variant="ghost" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" data-test="open-shortcuts">?</Button>
        {canRun && <>
          <Button small onClick={() => { setRunning(!running || !panels.side); setChatting(false); if (!panels.side) togglePanel('side'); }}
            data-test="open-run">Run</Button>
          <Button small onClick={() => { setChatting(!chatting || !panels.side); setRunning(false); if (!panels.side) togglePanel('side'); }}
            data-test="open-playground" title="Chat with a flow whose start takes a message">Playground</Button></>}
        <Button small onClick={() => setSharing(true)} data-test="open-share" title="Share as a hosted form">Share</Button>
        <a href={`#/flows/${flowId}/webhooks`} className="btn btn-secondary btn-small" data-test="open-webhooks">Webhooks</a>
        {!readOnly && <Button small variant="primary" onClick={publish} data-test="publish">Publish</Button>}
        <button type="button" className={`panel-toggle${panels.side ? ' open' : ''}`} onClick={() => togglePanel('side')}
          title={`${panels.side ? 'Hide' : 'Show'} the side panel (])`} aria-pressed={panels.side} data-test="toggle-side">Panel</button>
      </div>
      {draft.state === 'offline' && <div className="note note-error banner">{draft.message} Your edits are kept in this browser.</div>}
      <div className="builder-body">
        {panels.palette && <Palette types={types} onAdd={(t) => add(t)} />}
        <div className="canvas" ref={canvas} data-test="canvas">
          <FlowCanvas doc={doc} types={types} problems={byNode} runs={runs} readOnly={readOnly} onChange={readOnly ? undefined : change}
            onRefuse={(reason) => toast(reason, 'error')} onSelect={setSelected} onDropType={readOnly ? undefined : (t, p) => add(t, p)}
            api={canvasApi} />
        </div>
        {panels.side && <div className="side" data-test="side-panel">
          {chatting && canRun ? <Playground flowId={flowId} doc={doc} latest={draft.latest} flush={draft.flush} onClose={() => setChatting(false)}
            publishedOnly={readOnly} />
            : running && canRun ? <RunPanel flowId={flowId} doc={doc} unpublished={draft.unpublished} latest={draft.latest} watched={{ ...watched, taskId }} onRun={run}
            onClose={() => setRunning(false)} publishedOnly={readOnly} />
            : selected && doc.nodes.some((n) => n.id === selected)
              ? <Inspector doc={doc} types={types} nodeId={selected} problems={byNode.get(selected)} run={runs?.get(selected)} readOnly={readOnly}
                  onChange={change} onDelete={() => { change(removeNodes(doc, new Set([selected])), 'delete'); setSelected(null); }}>
                  {!readOnly && <NodeTest flowId={flowId} doc={doc} node={doc.nodes.find((n) => n.id === selected)!} lastSteps={watched.steps}
                    flush={draft.flush} onPin={(pin) => change({ ...doc, nodes: doc.nodes.map((n) => (n.id !== selected ? n
                      : pin ? { ...n, pinned: pin } : (({ pinned: _, ...rest }) => rest)(n))) }, `${selected}.pinned`)} />}
                </Inspector>
              : <OverviewPanel doc={doc} general={general} latest={draft.latest} onChange={change} readOnly={readOnly} />}
        </div>}
      </div>
      {help && <ShortcutsPanel onClose={() => setHelp(false)} />}
      {publishing && <PublishDialog flowId={flowId} doc={doc} version={publishing.version} fresh={publishing.fresh}
        onClose={() => setPublishing(null)} />}
      {sharing && <ShareFormDialog flowId={flowId} published={draft.latest != null} onClose={() => setSharing(false)} />}
    </div>
  );
}

const PANELS_KEY = 'weft.builder.panels';

/** Which side panels are open: as the person left them (this browser), both at first. */
function readPanels(): { palette: boolean; side: boolean } {
  try {
    const kept = JSON.parse(localStorage.getItem(PANELS_KEY) ?? '{}') as { palette?: boolean; side?: boolean };
    return { palette: kept.palette !== false, side: kept.side !== false };
  } catch {
    return { palette: true, side: true };
  }
}
