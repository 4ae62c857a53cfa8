// The shapes of Weft's HTTP API as the UI uses them (docs/api.md).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface FieldMapping { from_field: string; to_field: string }
export interface DocEdge { from_node: string; to_node: string; fields_mapping: FieldMapping[] }
export interface Retry { max_attempts?: number; backoff_ms?: number; factor?: number }
export interface DocNode {
  id: string;
  type: string;
  name?: string;
  settings?: JsonObject;
  timeout_ms?: number;
  retry?: Retry;
  on_error?: 'fail' | 'continue';
  overridable?: boolean | string[];
  position?: { x: number; y: number };
  /** drafts: a pinned output, which test-runs of the draft use instead of running the node (published versions ignore it). */
  pinned?: Pin;
}
/** drafts: a node's pinned output and the port it leaves by (default: the node's first port). */
export interface Pin { outputs: JsonObject; port?: string }
export interface FlowDoc {
  name?: string;
  default_start_node_id?: string | null;
  default_end_node_id?: string | null;
  /** Offer the published flow as a tool at POST /mcp (MCP clients); name and description as they see them. */
  mcp_tool?: boolean;
  mcp_name?: string;
  mcp_description?: string;
  nodes: DocNode[];
  edges: DocEdge[];
  /** Sticky notes on the canvas: kept with the flow, never run (the engine reads only nodes and edges). */
  notes?: StickyNote[];
}
export interface StickyNote { id: string; text: string; position: { x: number; y: number }; width?: number; height?: number }

export interface FlowSummary {
  id: number;
  name: string;
  latest_version: number | null;
  created_at: string;
  updated_at: string;
}
export interface Flow extends FlowSummary { document: FlowDoc; import?: ImportReport }

/** What importing a Scade export did (POST /api/v1/flows answers it for an export). */
export interface ImportReport {
  mapped: { node_id: string; processor: string; type: string }[];
  needs_attention: { node_id: string; processor: string; reason: string }[];
}

/** A JSON Schema as the node catalogue writes settings schemas (draft 2020-12, with x- hints for forms). */
export interface Schema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: Json[];
  default?: Json;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  oneOf?: Schema[];
  'x-widget'?: string;
  'x-language'?: string;
  'x-order'?: number;
  /** Choices offered in a select where the schema accepts more spellings than it lists (a case-insensitive method). */
  'x-options'?: string[];
}

export interface NodeTypeInfo {
  type: string;
  title: string;
  category: string;
  description: string;
  ports: string[];
  inputs: string[];
  outputs: string[];
  /** The JSON type of those outputs that always have one (the builder refuses connections that cannot fit). */
  output_types?: Record<string, string>;
  every_input_needed?: boolean;
  locked_settings?: string[];
  settings_schema: Schema;
}

export interface TaskError { type: string; message: string; node_id?: string | null }
export interface Task {
  id: number;
  status: number;
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  result: Json;
  error: TaskError | null;
  flow_id: number;
  flow_version: number;
  start_node_id: string;
  end_node_id: string;
  result_node_id: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** drafts: a test-run of the draft (POST /api/v1/flows/{id}/test-runs); absent for runs of published versions. */
  draft?: boolean;
}
export interface Attempt { number: number; started_at: string | null; finished_at: string | null; error: TaskError | null }
export interface Step {
  node_id: string;
  type: string;
  state: 'done' | 'skipped' | 'failed';
  port: string | null;
  inputs: JsonObject | null;
  outputs: JsonObject | null;
  /** the settings after templating (the URL an http step called); null for start/end and older steps */
  rendered_settings?: JsonObject | null;
  error: TaskError | null;
  attempts: Attempt[];
  started_at: string | null;
  finished_at: string | null;
  duration_ms?: number;
}
export interface ServerKey {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  flow_ids?: number[] | null;
}
export interface Problem { field: string; message: string }

// templates: the gallery's ready flows (GET /api/v1/templates)
export interface TemplateNeed { name?: string; kind?: string; template?: string; for: string }
export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  tags: string[];
  format: 'weft' | 'scade';
  node_types: string[];
  needs: { credentials: TemplateNeed[]; knowledge_bases: TemplateNeed[]; flows: TemplateNeed[] };
}
