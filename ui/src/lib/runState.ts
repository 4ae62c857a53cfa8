// A task's steps -> each node's state on the canvas: queued, running, done, skipped or failed.
import type { FlowDoc, Step, Task, TaskError, JsonObject } from './types';

export type NodeState = 'queued' | 'running' | 'done' | 'skipped' | 'failed';

export interface NodeRun {
  state: NodeState;
  ms?: number;
  outputs?: JsonObject | null;
  error?: TaskError | null;
  attempts?: number;
}

export const finished = (task: Task | null | undefined) => !!task && task.status >= 3;

/**
 * The state of every node of the run: a node with a recorded step has that step's state; while the task runs, a
 * node whose upstream steps have all finished (or that an event said started) is running, the others queued.
 */
export function nodeRuns(doc: FlowDoc, task: Task | null, steps: Step[], started: Set<string> = new Set()): Map<string, NodeRun> {
  const runs = new Map<string, NodeRun>();
  if (!task) return runs;
  // a run whose start node was deleted no longer describes this graph: its states would be stale
  if (!doc.nodes.some((n) => n.id === task.start_node_id)) return runs;
  const byNode = new Map(steps.map((s) => [s.node_id, s]));
  for (const n of doc.nodes) {
    const step = byNode.get(n.id);
    if (step) {
      runs.set(n.id, { state: step.state, ms: step.duration_ms ?? duration(step), outputs: step.outputs, error: step.error,
        attempts: step.attempts.length });
      continue;
    }
    if (finished(task)) continue;
    const parents = doc.edges.filter((e) => e.to_node === n.id).map((e) => e.from_node);
    const ready = task.status === 2 && (started.has(n.id) || (parents.length > 0 && parents.every((p) => byNode.has(p)))
      || (n.type === 'start' && n.id === task.start_node_id));
    runs.set(n.id, { state: ready ? 'running' : 'queued' });
  }
  return runs;
}

function duration(step: Step): number | undefined {
  if (!step.started_at || !step.finished_at) return undefined;
  return Date.parse(step.finished_at) - Date.parse(step.started_at);
}
