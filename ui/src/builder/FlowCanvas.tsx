// The React Flow canvas over a flow document. Positions live in React Flow's state while dragging and go into the
// document when a drag ends; everything else comes from the document, so undo, autosave and problems see one truth.
// Sticky notes (the document's `notes`) are canvas nodes too, with ids prefixed `note:`. Copy, paste and duplicate
// go through the system clipboard as JSON (lib/clipboard.ts); auto-layout is lib/autoLayout.ts.
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { Ref } from 'react';
import { applyNodeChanges, Background, Controls, MiniMap, ReactFlow, SelectionMode, useReactFlow, useStoreApi,
  useUpdateNodeInternals } from '@xyflow/react';
import type { Connection, EdgeChange, EdgeTypes, NodeChange, NodeTypes } from '@xyflow/react';
import { autoLayout } from '../lib/autoLayout';
import { PLACEHOLDER, typeInfo } from '../lib/catalogue';
import { clipText, copy, duplicate as duplicateSelection, newNoteId, parseClip, paste } from '../lib/clipboard';
import type { Clip } from '../lib/clipboard';
import { canvasEdges, connect, connectionProblem, edgeChecks, handlesOf, moveNodes, removeMappings, removeNodes } from '../lib/flowGraph';
import type { NodeRun } from '../lib/runState';
import type { DocNode, FlowDoc, NodeTypeInfo, StickyNote } from '../lib/types';
import { CanvasContext } from './canvasContext';
import type { CanvasActions } from './canvasContext';
import { NOTE_PREFIX, NOTE_SIZE, NoteNode } from './NoteNode';
import type { NoteFlowNode } from './NoteNode';
import { WeftEdge } from './WeftEdge';
import type { WeftFlowEdge } from './WeftEdge';
import { WeftNode } from './WeftNode';
import type { WeftFlowNode, WeftNodeData } from './WeftNode';

const nodeTypes: NodeTypes = { weft: WeftNode, note: NoteNode };
const edgeTypes: EdgeTypes = { weft: WeftEdge };
type CanvasNode = WeftFlowNode | NoteFlowNode;
// Props React Flow compares on every render (a drag renders each frame): made once.
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const DELETE_KEYS = ['Delete', 'Backspace'];
const FIT_OPTIONS = { padding: 0.2, maxZoom: 1.2 };
const PRO_OPTIONS = { hideAttribution: true };
const MINIMAP_STYLE = { width: 170, height: 110 };

/** What the builder's toolbar and shortcuts ask of the canvas. */
export interface CanvasApi {
  /** Lays the flow out left to right (one undoable step); answers the time dagre took, in ms. */
  autoLayout: () => number;
  addNote: () => void;
  copySelection: () => Clip | null;
  pasteClip: (clip: Clip) => void;
  duplicate: () => void;
}

/** The visible part of the canvas in flow coordinates. */
export function useViewRect() {
  const store = useStoreApi();
  return useCallback(() => {
    const { width, height, transform: [tx, ty, zoom] } = store.getState();
    return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
  }, [store]);
}

/** The last clip copied in this tab: used when the system clipboard cannot be read (a paste from the menu). */
let lastClip: Clip | null = null;

export interface CanvasProps {
  doc: FlowDoc;
  types: NodeTypeInfo[];
  problems?: Map<string, string[]>;
  runs?: Map<string, NodeRun>;
  readOnly?: boolean;
  onChange?: (doc: FlowDoc, key?: string) => void;
  onRefuse?: (reason: string) => void;
  onSelect?: (nodeId: string | null) => void;
  onDropType?: (type: string, position: { x: number; y: number }) => void;
  api?: Ref<CanvasApi>;
}

function summary(node: DocNode): string {
  const s = node.settings ?? {};
  const text = node.type === 'template' ? s.template : node.type === 'transform' ? s.expression
    : node.type === 'http' ? `${s.method ?? 'GET'} ${s.url ?? ''}` : node.type === 'llm' ? s.model
    : node.type === PLACEHOLDER ? `Scade: ${s.processor ?? '?'}` : node.type === 'model' ? s.model : undefined;
  return typeof text === 'string' ? (text.length > 60 ? `${text.slice(0, 57)}…` : text) : '';
}

/** Reuses each node's data object while nothing it shows changed, so React Flow re-renders only changed nodes. */
function useNodeData(doc: FlowDoc, types: NodeTypeInfo[], problems?: Map<string, string[]>, runs?: Map<string, NodeRun>,
                     readOnly?: boolean) {
  const cache = useRef(new Map<string, { key: string; data: WeftNodeData }>());
  return useMemo(() => {
    const next = new Map<string, { key: string; data: WeftNodeData }>();
    const defaults = new Set([doc.default_start_node_id, doc.default_end_node_id]);
    const fed = new Set(doc.edges.map((e) => e.to_node));
    const result = doc.nodes.map((n) => {
      const info = typeInfo(types, n.type);
      const handles = handlesOf(doc, n, info);
      const data: WeftNodeData = { id: n.id, type: n.type, title: n.name || info.title, category: info.category,
        summary: summary(n), inputs: handles.inputs, outputs: handles.outputs, acceptsNew: !readOnly && n.type !== 'start',
        problems: problems?.get(n.id), run: runs?.get(n.id), isDefault: defaults.has(n.id),
        unconnected: !readOnly && n.type !== 'start' && n.type !== 'end' && !fed.has(n.id) };
      if (n.pinned) data.pinned = true;   // drafts: the pin marker
      const key = JSON.stringify(data);
      const old = cache.current.get(n.id);
      const kept = old && old.key === key ? old : { key, data };
      next.set(n.id, kept);
      return [n, kept.data] as const;
    });
    cache.current = next;
    return result;
  }, [doc, types, problems, runs, readOnly]);
}

export function FlowCanvas({ doc, types, problems, runs, readOnly, onChange, onRefuse, onSelect, onDropType, api }: CanvasProps) {
  const flow = useReactFlow<CanvasNode, WeftFlowEdge>();
  const viewRect = useViewRect();
  const data = useNodeData(doc, types, problems, runs, readOnly);
  const [nodes, setNodes] = useState<CanvasNode[]>([]);
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [hoveredEdge, setHoveredEdge] = useState<string | null>(null);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const docRef = useRef(doc);
  docRef.current = doc;
  /** Canvas ids to select once the document that has them is on the canvas (what was just pasted or added). */
  const pendingSelect = useRef<Set<string> | null>(null);

  // React Flow measures a node's handles when the node resizes; a renamed or added field may not resize it, so
  // nodes whose handles changed are re-measured explicitly, else a drag from a new handle finds nothing.
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKeys = useRef(new Map<string, string>());
  useEffect(() => {
    const changed: string[] = [];
    const next = new Map<string, string>();
    for (const [n, d] of data) {
      const key = JSON.stringify([d.inputs, d.outputs, d.acceptsNew]);
      next.set(n.id, key);
      const old = handleKeys.current.get(n.id);
      if (old !== undefined && old !== key) changed.push(n.id);
    }
    handleKeys.current = next;
    if (changed.length === 0) return;
    const frame = requestAnimationFrame(() => updateNodeInternals(changed));
    return () => cancelAnimationFrame(frame);
  }, [data, updateNodeInternals]);

  const notes = doc.notes;
  useEffect(() => {
    const chosen = pendingSelect.current;
    pendingSelect.current = null;
    setNodes((previous) => {
      const byId = new Map(previous.map((n) => [n.id, n]));
      const keep = <T extends CanvasNode>(old: CanvasNode | undefined, made: T): T => {
        const selected = chosen ? chosen.has(made.id) : (old?.selected ?? false);
        if (old && old.data === made.data && old.position.x === made.position.x && old.position.y === made.position.y
            && old.width === made.width && old.height === made.height && (old.selected ?? false) === selected) return old as T;
        return { ...(old ?? {}), ...made, selected } as T;
      };
      const weft = data.map(([n, d]) => {
        const old = byId.get(n.id);
        const position = old?.dragging ? old.position : (n.position ?? { x: 0, y: 0 });
        return keep(old, { id: n.id, type: 'weft', position, data: d } as WeftFlowNode);
      });
      const sticky = (notes ?? []).map((note) => {
        const id = NOTE_PREFIX + note.id;
        const old = byId.get(id) as NoteFlowNode | undefined;
        const position = old?.dragging ? old.position : note.position;
        const d = old && old.data.text === note.text ? old.data : { noteId: note.id, text: note.text };
        return keep(old, { id, type: 'note', position, data: d, zIndex: -1, width: note.width ?? NOTE_SIZE.width,
          height: note.height ?? NOTE_SIZE.height } as NoteFlowNode);
      });
      return [...sticky, ...weft];
    });
  }, [data, notes]);

  const checks = useMemo(() => edgeChecks(doc, types), [doc, types]);
  // Each edge object is kept while nothing it shows changed: hovering one edge re-renders that edge, not all of them.
  const edgeCache = useRef(new Map<string, WeftFlowEdge>());
  const edges: WeftFlowEdge[] = useMemo(() => {
    const next = new Map<string, WeftFlowEdge>();
    const list = canvasEdges(doc).map((e) => {
      const selected = selectedEdges.has(e.id);
      const hovered = hoveredEdge === e.id;
      const check = checks.get(e.id);
      const animated = runs?.get(e.source)?.state === 'done' && runs?.get(e.target)?.state === 'running';
      const old = edgeCache.current.get(e.id);
      const kept = old && old.source === e.source && old.target === e.target && old.sourceHandle === e.sourceHandle
        && old.targetHandle === e.targetHandle && old.selected === selected && old.animated === animated
        && old.data?.hovered === hovered && old.data?.check?.message === check?.message && old.data?.check?.level === check?.level
        ? old : { ...e, type: 'weft' as const, selected, animated, data: { check, hovered } };
      next.set(e.id, kept);
      return kept;
    });
    edgeCache.current = next;
    return list;
  }, [doc, selectedEdges, runs, checks, hoveredEdge]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    // Removal goes through onNodesDelete into the document; everything else is canvas state.
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const c of changes) if (c.type === 'select') { if (c.selected) next.add(c.id); else next.delete(c.id); }
      return next;
    });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (!onChange || !c.sourceHandle || !c.targetHandle) return;
    const problem = connectionProblem(doc, types, c.source, c.sourceHandle, c.target, c.targetHandle);
    if (problem) onRefuse?.(`Not connected: ${problem}.`);
    else onChange(connect(doc, types, c.source, c.sourceHandle, c.target, c.targetHandle), 'connect');
  }, [doc, types, onChange, onRefuse]);

  const select = useCallback(({ nodes: chosen }: { nodes: CanvasNode[] }) => {
    const weft = chosen.filter((n) => n.type === 'weft');
    onSelect?.(weft.length === 1 && chosen.length === 1 ? weft[0].id : null);
  }, [onSelect]);

  /** Ids of the selected nodes and notes (document ids). */
  const selection = useCallback(() => {
    const picked = nodesRef.current.filter((n) => n.selected);
    return { nodes: new Set(picked.filter((n) => n.type === 'weft').map((n) => n.id)),
      notes: new Set(picked.filter((n) => n.type === 'note').map((n) => n.id.slice(NOTE_PREFIX.length))) };
  }, []);

  const pasteClip = useCallback((clip: Clip) => {
    if (!onChange) return;
    const current = docRef.current;
    const view = viewRect();
    const positions = [...clip.nodes.map((n) => n.position), ...clip.notes.map((n) => n.position)].filter(Boolean) as { x: number; y: number }[];
    const left = positions.length ? Math.min(...positions.map((p) => p.x)) + 40 : 0;
    const top = positions.length ? Math.min(...positions.map((p) => p.y)) + 40 : 0;
    const visible = left >= view.x && top >= view.y && left < view.x + view.width - 100 && top < view.y + view.height - 60;
    const at = visible ? undefined : { x: view.x + view.width / 3, y: view.y + view.height / 3 };
    const made = paste(current, clip, at);
    pendingSelect.current = new Set([...made.nodeIds, ...made.noteIds.map((id) => NOTE_PREFIX + id)]);
    onChange(made.doc, 'paste');
    onSelect?.(made.nodeIds.length === 1 && made.noteIds.length === 0 ? made.nodeIds[0] : null);
  }, [onChange, onSelect, viewRect]);

  const copySelection = useCallback(() => {
    const { nodes: ids, notes: noteIds } = selection();
    const clip = copy(docRef.current, ids, noteIds);
    if (clip) lastClip = clip;
    return clip;
  }, [selection]);

  const runLayout = useCallback(() => {
    if (!onChange) return 0;
    const sizes = new Map(nodesRef.current.filter((n) => n.type === 'weft' && n.measured?.width)
      .map((n) => [n.id, { width: n.measured!.width!, height: n.measured!.height! }]));
    const t0 = performance.now();
    const next = autoLayout(docRef.current, sizes);
    const ms = performance.now() - t0;
    performance.measure('weft:auto-layout', { start: t0, duration: ms });   // read by the builder's figures test
    onChange(next, 'layout');
    requestAnimationFrame(() => flow.fitView({ padding: 0.15, duration: 200 }));
    return ms;
  }, [onChange, flow]);

  const addNote = useCallback(() => {
    if (!onChange) return;
    const current = docRef.current;
    const view = viewRect();
    const note: StickyNote = { id: newNoteId(current), text: '', position: {
      x: Math.round(view.x + view.width / 2 - NOTE_SIZE.width / 2), y: Math.round(view.y + 24) } };
    pendingSelect.current = new Set([NOTE_PREFIX + note.id]);
    onChange({ ...current, notes: [...(current.notes ?? []), note] }, 'note');
    onSelect?.(null);
  }, [onChange, onSelect, viewRect]);

  const duplicate = useCallback(() => {
    const { nodes: ids, notes: noteIds } = selection();
    const made = duplicateSelection(docRef.current, ids, noteIds);
    if (!made || !onChange) return;
    pendingSelect.current = new Set([...made.nodeIds, ...made.noteIds.map((id) => NOTE_PREFIX + id)]);
    onChange(made.doc, 'duplicate');
    onSelect?.(made.nodeIds.length === 1 && made.noteIds.length === 0 ? made.nodeIds[0] : null);
  }, [selection, onChange, onSelect]);

  useImperativeHandle(api, () => ({ autoLayout: runLayout, addNote, copySelection, pasteClip, duplicate }),
    [runLayout, addNote, copySelection, pasteClip, duplicate]);

  // Ctrl+C / Ctrl+V through the page's copy and paste events (the system clipboard, no permission asked);
  // Ctrl+D and Ctrl+A as keys. Typing in a field keeps the browser's own behaviour.
  useEffect(() => {
    if (readOnly || !onChange) return;
    // text chosen in a side panel or dialog is copied as text; a shift+drag on the canvas may select page text too
    const textChosen = () => {
      const chosen = window.getSelection();
      if (!chosen || chosen.isCollapsed || chosen.toString() === '') return false;
      const at = chosen.getRangeAt(0).commonAncestorContainer;
      const el = at instanceof HTMLElement ? at : at.parentElement;
      return !!el?.closest('.side, .overlay, .palette');
    };
    const inField = (t: EventTarget | null) => t instanceof HTMLElement && !!t.closest('input, textarea, select, [contenteditable]');
    const onCopy = (e: ClipboardEvent) => {
      if (inField(e.target) || textChosen()) return;
      const clip = copySelection();
      if (!clip || !e.clipboardData) return;
      e.clipboardData.setData('text/plain', clipText(clip));
      e.preventDefault();
    };
    const onCut = (e: ClipboardEvent) => {
      if (inField(e.target)) return;
      onCopy(e);
      const { nodes: ids, notes: noteIds } = selection();
      if (ids.size + noteIds.size === 0) return;
      const current = docRef.current;
      onChange({ ...removeNodes(current, ids), notes: current.notes?.filter((n) => !noteIds.has(n.id)) }, 'delete');
    };
    const onPaste = (e: ClipboardEvent) => {
      if (inField(e.target)) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      const clip = text ? parseClip(text) : lastClip;
      if (!clip) return;
      e.preventDefault();
      pasteClip(clip);
    };
    const onKey = (e: KeyboardEvent) => {
      if (inField(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'd') { e.preventDefault(); duplicate(); }
      else if (mod && !e.shiftKey && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        setNodes((ns) => ns.map((n) => (n.selected ? n : { ...n, selected: true })));
      }
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCut);
    document.addEventListener('paste', onPaste);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCut);
      document.removeEventListener('paste', onPaste);
      window.removeEventListener('keydown', onKey);
    };
  }, [readOnly, onChange, copySelection, pasteClip, duplicate, selection]);

  const actions: CanvasActions = useMemo(() => ({
    readOnly: !!readOnly || !onChange,
    deleteEdge: (id) => onChange?.(removeMappings(docRef.current, new Set([id])), 'delete'),
    setNoteText: (id, text) => onChange?.({ ...docRef.current, notes: (docRef.current.notes ?? []).map((n) => (n.id === id ? { ...n, text } : n)) },
      `note.${id}`),
    resizeNote: (id, p) => onChange?.({ ...docRef.current, notes: (docRef.current.notes ?? []).map((n) => (n.id === id
      ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) }, width: Math.round(p.width), height: Math.round(p.height) } : n)) },
    'note-size'),
  }), [readOnly, onChange]);

  const onDragStop = useCallback((moved: CanvasNode[]) => {
    if (!onChange) return;
    const doc = docRef.current;
    const weft = new Map(moved.filter((n) => n.type === 'weft').map((n) => [n.id, n.position]));
    const stuck = new Map(moved.filter((n) => n.type === 'note').map((n) => [n.id.slice(NOTE_PREFIX.length), n.position]));
    let next = weft.size ? moveNodes(doc, weft) : doc;
    if (stuck.size) {
      next = { ...next, notes: (next.notes ?? []).map((n) => {
        const p = stuck.get(n.id);
        return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
      }) };
    }
    onChange(next, 'move');
  }, [onChange]);
  const onNodeDragStop = useCallback((_: unknown, __: unknown, moved: CanvasNode[]) => onDragStop(moved), [onDragStop]);
  const onSelectionDragStop = useCallback((_: unknown, moved: CanvasNode[]) => onDragStop(moved), [onDragStop]);
  const onDelete = useCallback(({ nodes: gone, edges: cut }: { nodes: CanvasNode[]; edges: WeftFlowEdge[] }) => {
    const doc = docRef.current;
    const noteIds = new Set(gone.filter((n) => n.type === 'note').map((n) => n.id.slice(NOTE_PREFIX.length)));
    const next = removeMappings(removeNodes(doc, new Set(gone.filter((n) => n.type === 'weft').map((n) => n.id))),
      new Set(cut.map((e) => e.id)));
    onChange?.(noteIds.size ? { ...next, notes: (next.notes ?? []).filter((n) => !noteIds.has(n.id)) } : next, 'delete');
  }, [onChange]);
  const onEdgeMouseEnter = useCallback((_: unknown, e: WeftFlowEdge) => setHoveredEdge(e.id), []);
  const onEdgeMouseLeave = useCallback(() => setHoveredEdge(null), []);
  const onDragOver = useCallback((e: React.DragEvent) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }, []);
  const onDrop = useCallback((e: React.DragEvent) => {
    const type = e.dataTransfer.getData('application/weft-node');
    if (!type || !onDropType) return;
    e.preventDefault();
    onDropType(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  }, [onDropType, flow]);

  return (
    <CanvasContext.Provider value={actions}>
      <ReactFlow<CanvasNode, WeftFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStop={onNodeDragStop}
        onSelectionDragStop={onSelectionDragStop}
        onDelete={onDelete}
        onSelectionChange={select}
        onEdgeMouseEnter={onEdgeMouseEnter}
        onEdgeMouseLeave={onEdgeMouseLeave}
        onDragOver={onDragOver}
        onDrop={onDrop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        selectionMode={SelectionMode.Partial}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        fitView
        fitViewOptions={FIT_OPTIONS}
        minZoom={0.1}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {!readOnly && <MiniMap pannable zoomable nodeStrokeWidth={3} style={MINIMAP_STYLE} />}
      </ReactFlow>
    </CanvasContext.Provider>
  );
}
