// Copy, paste and duplicate on the canvas. What is copied is plain JSON (nodes, the edges between them, notes), so it
// goes through the system clipboard into another flow, another tab or a text editor and back.
import { newNodeId } from './flowGraph';
import type { DocEdge, DocNode, FlowDoc, StickyNote } from './types';

/** The clipboard's JSON: `weft` names the format, so a paste of any other text is ignored. */
export interface Clip { weft: 'nodes'; nodes: DocNode[]; edges: DocEdge[]; notes: StickyNote[] }

export const PASTE_OFFSET = 40;

/** The selected nodes and notes, with only the edges (and mappings) whose both ends are selected. */
export function copy(doc: FlowDoc, nodeIds: Set<string>, noteIds: Set<string> = new Set()): Clip | null {
  const nodes = doc.nodes.filter((n) => nodeIds.has(n.id));
  const notes = (doc.notes ?? []).filter((n) => noteIds.has(n.id));
  if (nodes.length === 0 && notes.length === 0) return null;
  const edges = doc.edges.filter((e) => nodeIds.has(e.from_node) && nodeIds.has(e.to_node));
  return { weft: 'nodes', nodes: structuredClone(nodes), edges: structuredClone(edges), notes: structuredClone(notes) };
}

export const clipText = (clip: Clip) => JSON.stringify(clip, null, 2);

/** The clip in a text, or null when the text is not one (any other text on the clipboard). */
export function parseClip(text: string): Clip | null {
  let value: unknown;
  try { value = JSON.parse(text); } catch { return null; }
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<Clip>;
  if (v.weft !== 'nodes' || !Array.isArray(v.nodes)) return null;
  const nodes = v.nodes.filter((n): n is DocNode => !!n && typeof n === 'object' && typeof n.id === 'string'
    && typeof n.type === 'string');
  const ids = new Set(nodes.map((n) => n.id));
  const edges = (Array.isArray(v.edges) ? v.edges : []).filter((e): e is DocEdge => !!e && typeof e === 'object'
    && ids.has(e.from_node) && ids.has(e.to_node) && Array.isArray(e.fields_mapping));
  const notes = (Array.isArray(v.notes) ? v.notes : []).filter((n): n is StickyNote => !!n && typeof n === 'object'
    && typeof n.text === 'string');
  return nodes.length + notes.length > 0 ? { weft: 'nodes', nodes, edges, notes } : null;
}

/** A note id not used yet in the document. */
export function newNoteId(doc: FlowDoc): string {
  const taken = new Set((doc.notes ?? []).map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`note_${i}`)) return `note_${i}`;
}

/**
 * Adds the clip to the document under new ids (edges follow their nodes), moved so its top-left corner is at `at`,
 * or by {@link PASTE_OFFSET} from where it was copied. Never copies a flow's default start or end.
 */
export function paste(doc: FlowDoc, clip: Clip, at?: { x: number; y: number }): { doc: FlowDoc; nodeIds: string[]; noteIds: string[] } {
  const all = [...clip.nodes.map((n) => n.position), ...clip.notes.map((n) => n.position)].filter(Boolean) as { x: number; y: number }[];
  const left = all.length ? Math.min(...all.map((p) => p.x)) : 0;
  const top = all.length ? Math.min(...all.map((p) => p.y)) : 0;
  const dx = at ? at.x - left : PASTE_OFFSET;
  const dy = at ? at.y - top : PASTE_OFFSET;
  const move = (p?: { x: number; y: number }) => ({ x: Math.round((p?.x ?? left) + dx), y: Math.round((p?.y ?? top) + dy) });
  let next: FlowDoc = { ...doc, nodes: [...doc.nodes], edges: [...doc.edges], notes: [...(doc.notes ?? [])] };
  const renamed = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = newNodeId(next, n.id.replace(/_\d+$/, '') || n.type);
    renamed.set(n.id, id);
    next.nodes.push({ ...structuredClone(n), id, position: move(n.position) });
  }
  const pasted = next.nodes.slice(next.nodes.length - clip.nodes.length);
  for (const n of pasted) if (n.settings) n.settings = renameRefs(n.settings, renamed) as typeof n.settings;
  for (const e of clip.edges) {
    next.edges.push({ ...structuredClone(e), from_node: renamed.get(e.from_node)!, to_node: renamed.get(e.to_node)! });
  }
  const noteIds: string[] = [];
  for (const n of clip.notes) {
    const id = newNoteId(next);
    noteIds.push(id);
    next = { ...next, notes: [...(next.notes ?? []), { ...n, id, position: move(n.position) }] };
  }
  if (next.notes!.length === 0 && doc.notes === undefined) delete next.notes;
  return { doc: next, nodeIds: [...renamed.values()], noteIds };
}

/**
 * Ctrl+D: the selection pasted beside itself, and each copy fed as its original is (the edges into the selection
 * from nodes outside it are copied too), so a duplicated node has its inputs and runs as the original does.
 */
export function duplicate(doc: FlowDoc, nodeIds: Set<string>, noteIds: Set<string> = new Set()):
    { doc: FlowDoc; nodeIds: string[]; noteIds: string[] } | null {
  const clip = copy(doc, nodeIds, noteIds);
  if (!clip) return null;
  const made = paste(doc, clip);
  const renamed = new Map(clip.nodes.map((n, i) => [n.id, made.nodeIds[i]]));
  const incoming = doc.edges.filter((e) => !nodeIds.has(e.from_node) && nodeIds.has(e.to_node))
    .map((e) => ({ ...structuredClone(e), to_node: renamed.get(e.to_node)! }));
  return { ...made, doc: { ...made.doc, edges: [...made.doc.edges, ...incoming] } };
}

/**
 * `value` with each template reference to a copied node (`{{old.field}}`, spaces allowed) pointed at that node's copy,
 * so pasted nodes read from each other as the originals did; references to nodes outside the clip are left as they are.
 */
export function renameRefs(value: unknown, renamed: Map<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\s*)([A-Za-z_][\w-]*)(?=\s*[.}|\[])/g,
      (whole, space: string, id: string) => (renamed.has(id) ? `{{${space}${renamed.get(id)}` : whole));
  }
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renamed));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renameRefs(v, renamed)]));
  }
  return value;
}
