// drafts: what the playground needs to know of a flow and of a run's answer.
import { defaultNode } from './flowGraph';
import type { FlowDoc, Json } from './types';

/** The start node a chat runs: the default one, if it takes a `message` input; and whether it takes a `session_id`. */
export function chatStart(doc: FlowDoc): { start: string; session: boolean } | null {
  const start = defaultNode(doc, 'start');
  const node = doc.nodes.find((n) => n.id === start);
  const inputs = (node?.settings?.inputs ?? {}) as Record<string, unknown>;
  if (!start || !('message' in inputs)) return null;
  return { start, session: 'session_id' in inputs };
}

const ANSWER_FIELDS = ['text', 'answer', 'reply', 'message', 'output', 'response'];

/** The text to show for a run's result: a usual answer field, the only text field, or the result as JSON. */
export function answerText(result: Json): string {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    for (const name of ANSWER_FIELDS) if (typeof result[name] === 'string') return result[name] as string;
    const texts = Object.values(result).filter((v) => typeof v === 'string') as string[];
    if (texts.length === 1) return texts[0];
  }
  return JSON.stringify(result, null, 2);
}

/** A new conversation's session id: memory nodes keep a conversation's messages under it. */
export const newSessionId = () => `playground-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
