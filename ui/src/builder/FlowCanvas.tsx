// The React Flow canvas over a flow document. Positions live in React Flow's state while dragging and go into the
// document when a drag ends; everything else comes from the document, so undo, autosave and problems see one truth.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { applyNodeChanges, Background, Controls, MiniMap, ReactFlow, useReactFlow, useUpdateNodeInternals } from '@xyflow/react';
import type { Connection, Edge, EdgeChange, NodeChange, NodeTypes } from '@xyflow/react';
import { PLACEHOLDER, typeInfo } from '../lib/catalogue';
import { canvasEdges, connect, connectionProblem, handlesOf, moveNodes, removeMappings, removeNodes } from '../lib/flowGraph';
import type { NodeRun } from '../lib/runState';
import type { DocNode, FlowDoc, NodeTypeInfo } from '../lib/types';
import { WeftNode } from './WeftNode';
import type { WeftFlowNode, WeftNodeData } from './WeftNode';

const nodeTypes: NodeTypes = { weft: WeftNode };

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
    const result = doc.nodes.map((n) => {
      const info = typeInfo(types, n.type);
      const handles = handlesOf(doc, n, info);
      const data: WeftNodeData = { id: n.id, type: n.type, title: n.name || info.title, category: info.category,
        summary: summary(n), inputs: handles.inputs, outputs: handles.outputs, acceptsNew: !readOnly && n.type !== 'start',
        problems: problems?.get(n.id), run: runs?.get(n.id), isDefault: defaults.has(n.id) };
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

export function FlowCanvas({ doc, types, problems, runs, readOnly, onChange, onRefuse, onSelect, onDropType }: CanvasProps) {
  const flow = useReactFlow();
  const data = useNodeData(doc, types, problems, runs, readOnly);
  const [nodes, setNodes] = useState<WeftFlowNode[]>([]);
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());

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

  useEffect(() => {
    setNodes((previous) => {
      const byId = new Map(previous.map((n) => [n.id, n]));
      return data.map(([n, d]) => {
        const old = byId.get(n.id);
        const position = old?.dragging ? old.position : (n.position ?? { x: 0, y: 0 });
        if (old && old.data === d && old.position.x === position.x && old.position.y === position.y) return old;
        return { ...(old ?? {}), id: n.id, type: 'weft', position, data: d } as WeftFlowNode;
      });
    });
  }, [data]);

  const edges: Edge[] = useMemo(() => canvasEdges(doc).map((e) => ({ ...e, selected: selectedEdges.has(e.id),
    animated: runs?.get(e.source)?.state === 'done' && runs?.get(e.target)?.state === 'running' })), [doc, selectedEdges, runs]);

  const onNodesChange = useCallback((changes: NodeChange<WeftFlowNode>[]) => {
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

  const select = useCallback(({ nodes: chosen }: { nodes: WeftFlowNode[] }) =>
    onSelect?.(chosen.length === 1 ? chosen[0].id : null), [onSelect]);

  return (
    <ReactFlow<WeftFlowNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onNodeDragStop={(_, __, moved) => onChange?.(moveNodes(doc, new Map(moved.map((n) => [n.id, n.position]))), 'move')}
      onDelete={({ nodes: gone, edges: cut }) => onChange?.(removeMappings(removeNodes(doc, new Set(gone.map((n) => n.id))),
        new Set(cut.map((e) => e.id))), 'delete')}
      onSelectionChange={select}
      onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }}
      onDrop={(e) => {
        const type = e.dataTransfer.getData('application/weft-node');
        if (!type || !onDropType) return;
        e.preventDefault();
        onDropType(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      }}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      elementsSelectable
      deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
      minZoom={0.1}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} size={1} />
      <Controls showInteractive={false} />
      {!readOnly && <MiniMap pannable zoomable nodeStrokeWidth={3} />}
    </ReactFlow>
  );
}
