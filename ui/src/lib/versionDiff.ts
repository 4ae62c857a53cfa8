// Versions: what the API answers for a version and a diff, and the call that pins a version.
import type { Json, JsonObject } from './types';
import { KEY_PLACEHOLDER, shellQuote } from './snippets';

export interface VersionInfo { flow_id: number; version: number; created_at: string; published_by: string | null }

export interface Change { path: string; change: 'added' | 'removed' | 'changed'; before?: Json; after?: Json }
export interface DiffEdge { from_node: string; to_node: string; text: string }
export interface NodeBrief { id: string; type: string }
export interface NodeChange extends NodeBrief { settings: Change[]; fields: Change[]; edges_added: DiffEdge[]; edges_removed: DiffEdge[] }

export interface VersionDiff {
  flow_id: number;
  version: number;
  against: 'draft' | number;
  identical: boolean;
  summary: { nodes_added: number; nodes_removed: number; nodes_changed: number; edges_added: number; edges_removed: number };
  nodes: { added: NodeBrief[]; removed: NodeBrief[]; changed: NodeChange[] };
  edges: { added: DiffEdge[]; removed: DiffEdge[] };
  flow: Change[];
}

/** A value as one readable line: strings as they are, anything else as compact JSON, long ones cut. */
export function shown(value: Json | undefined, max = 160): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "2 nodes changed, 1 added" — the diff in one line. */
export function summaryLine(diff: VersionDiff): string {
  if (diff.identical) return 'No differences (canvas positions aside).';
  const s = diff.summary;
  const parts: string[] = [];
  if (s.nodes_added) parts.push(`${s.nodes_added} node${s.nodes_added === 1 ? '' : 's'} added`);
  if (s.nodes_removed) parts.push(`${s.nodes_removed} removed`);
  if (s.nodes_changed) parts.push(`${s.nodes_changed} changed`);
  if (s.edges_added || s.edges_removed) parts.push(`${s.edges_added} connection${s.edges_added === 1 ? '' : 's'} added, ${s.edges_removed} removed`);
  if (diff.flow.length) parts.push(`${diff.flow.length} flow setting${diff.flow.length === 1 ? '' : 's'} changed`);
  return `${parts.join(', ')}.`;
}

/** The execute call that runs exactly `version` (its `flow_version`), waiting up to 30 s for the result. */
export function pinnedCurl(baseUrl: string, flowId: number, version: number, startNodeId: string, inputs: JsonObject): string {
  const body = { flow_version: version, node_settings: { [startNodeId]: { data: inputs } } };
  return [
    `curl -X POST ${shellQuote(`${baseUrl}/api/v1/scade/flow/${flowId}/execute?wait=30`)} \\`,
    `  -H ${shellQuote(`Authorization: Basic ${KEY_PLACEHOLDER}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join('\n');
}
