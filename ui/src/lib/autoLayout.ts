// Auto-layout: dagre (a layered graph layout) places the flow's nodes left to right along its edges. Notes stay
// where they are; a node's measured size is used when the canvas knows it.
import dagre from '@dagrejs/dagre';
import { NODE_H, NODE_W } from './flowGraph';
import type { FlowDoc } from './types';

export const RANK_GAP = 90;
export const NODE_GAP = 40;

/**
 * The document with every node moved to dagre's left-to-right layout, its top-left corner where the old layout's
 * was (the flow does not jump away from where the person was looking). `sizes`: measured node sizes by id.
 */
export function autoLayout(doc: FlowDoc, sizes: Map<string, { width: number; height: number }> = new Map()): FlowDoc {
  if (doc.nodes.length === 0) return doc;
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', ranksep: RANK_GAP, nodesep: NODE_GAP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) {
    const size = sizes.get(n.id);
    g.setNode(n.id, { width: size?.width || NODE_W, height: size?.height || NODE_H });
  }
  for (const e of doc.edges) if (g.hasNode(e.from_node) && g.hasNode(e.to_node)) g.setEdge(e.from_node, e.to_node);
  dagre.layout(g);
  const placed = doc.nodes.map((n) => {
    const at = g.node(n.id);
    return { id: n.id, x: at.x - at.width / 2, y: at.y - at.height / 2 };
  });
  const known = doc.nodes.filter((n) => n.position);
  const left = known.length ? Math.min(...known.map((n) => n.position!.x)) : 0;
  const top = known.length ? Math.min(...known.map((n) => n.position!.y)) : 0;
  const dx = left - Math.min(...placed.map((p) => p.x));
  const dy = top - Math.min(...placed.map((p) => p.y));
  const byId = new Map(placed.map((p) => [p.id, { x: Math.round(p.x + dx), y: Math.round(p.y + dy) }]));
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: byId.get(n.id)! })) };
}
