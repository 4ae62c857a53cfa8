// Follows a task live: step events over SSE (GET /api/v1/task/{id}/events) when the server has them, and polling
// of the task and its steps, which also covers a server without events or a dropped stream. `delta` events carry
// the text a running llm/agent step streams: kept per node (a new attempt starts its text again).
import { useEffect, useState } from 'react';
import { get } from './api';
import type { Step, Task } from './types';

export const POLL_MS = 400;

export interface LiveText { attempt: number; text: string }

export interface Watched { task: Task | null; steps: Step[]; started: Set<string>; live: Record<string, LiveText>; error: string | null }

export function useTaskWatch(taskId: number | null): Watched {
  const [state, setState] = useState<Watched>({ task: null, steps: [], started: new Set(), live: {}, error: null });
  useEffect(() => {
    if (taskId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let events: EventSource | null = null;
    setState({ task: null, steps: [], started: new Set(), live: {}, error: null });
    const refresh = async () => {
      try {
        const [task, steps] = await Promise.all([get<Task>(`/api/v1/task/${taskId}`),
          get<{ steps: Step[] }>(`/api/v1/task/${taskId}/steps`)]);
        if (stopped) return;
        setState((s) => ({ ...s, task, steps: steps.steps, error: null }));
        if (task.status >= 3) { stopped = true; events?.close(); return; }
      } catch (e) {
        if (!stopped) setState((s) => ({ ...s, error: (e as Error).message }));
      }
      if (!stopped) timer = setTimeout(refresh, POLL_MS);
    };
    refresh();
    if (typeof EventSource !== 'undefined') {
      events = new EventSource(`/api/v1/task/${taskId}/events`);
      const onEvent = (e: MessageEvent) => {
        try {
          const data = JSON.parse(e.data);
          const node = data.node_id ?? data.step?.node_id;
          if (node && /start/.test(e.type === 'message' ? String(data.event ?? data.type ?? '') : e.type)) {
            setState((s) => ({ ...s, started: new Set([...s.started, node]) }));
          }
        } catch { /* not JSON: the poll still shows the state */ }
        if (timer) { clearTimeout(timer); refresh(); }
      };
      events.addEventListener('delta', ((e: MessageEvent) => {
        try {
          const data = JSON.parse(e.data);
          if (typeof data.text !== 'string' || !data.node_id) return;
          setState((s) => {
            const was = s.live[data.node_id];
            const text = was && was.attempt === data.attempt ? was.text + data.text : data.text;
            return { ...s, live: { ...s.live, [data.node_id]: { attempt: data.attempt, text } } };
          });
        } catch { /* not JSON: skip the piece */ }
      }) as EventListener);
      for (const name of ['message', 'task.started', 'step.started', 'step.finished', 'step.failed', 'task.finished']) {
        events.addEventListener(name, onEvent as EventListener);
      }
      events.onerror = () => events?.close();   // no events endpoint, or the stream ended: polling goes on
    }
    return () => { stopped = true; if (timer) clearTimeout(timer); events?.close(); };
  }, [taskId]);
  return state;
}
