// The UI's one way to the server: JSON over fetch, the session cookie sent by the browser, the CSRF token on
// every request that changes something, and problem+json answers turned into ApiError.
import type { Problem } from './types';

export class ApiError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly errors: Problem[] = []) {
    super(message);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string) {
  csrfToken = token;
}

/** Called when the server answers 401 to a signed-in request: the session ended (restart, expiry). */
export function whenSignedOut(callback: () => void) {
  onSignedOut = callback;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-Weft-Csrf'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Weft did not answer: is the server running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    if (response.status === 401 && csrfToken && !path.startsWith('/api/v1/session')) onSignedOut();
    throw new ApiError(response.status, json.type ?? `http-${response.status}`, json.detail ?? response.statusText,
      json.errors ?? []);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);
/** Sends a multipart form (files): the browser sets its content type and boundary. */
export const upload = <T>(path: string, form: FormData) => api<T>('POST', path, form);

/** A readable message for any failure, with the fields at fault. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
    return fields.length > 0 && !(fields.length === 1 && error.message.includes(error.errors[0].message))
      ? `${error.message} — ${fields.join('; ')}` : error.message;
  }
  // fetch's own failure is a TypeError whose message differs by browser ("Failed to fetch", "NetworkError ...")
  if (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) {
    return 'Weft could not be reached: check the network and that the server is running, then try again.';
  }
  return error instanceof Error ? error.message : String(error);
}

/** drafts: one Server-Sent Event of a streamed run: its name and its data, parsed as JSON when it is JSON. */
export interface StreamEvent { event: string; data: unknown }

/**
 * drafts: POSTs JSON to a `?stream=true` route (execute, test-runs) and hands each event of the answer to `onEvent`
 * as it arrives (EventSource can only GET); resolves when the stream ends. A refused request throws as api() does.
 */
export async function postStream(path: string, body: unknown, onEvent: (e: StreamEvent) => void): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
      headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'X-Weft-Csrf': csrfToken } });
  } catch {
    throw new ApiError(0, 'network', 'Weft did not answer: is the server running?');
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    throw new ApiError(response.status, json.type ?? `http-${response.status}`, json.detail ?? response.statusText, json.errors ?? []);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      parseEvent(buffer.slice(0, end), onEvent);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  if (buffer.trim()) parseEvent(buffer, onEvent);
}

/** drafts: one SSE block (`event:` and `data:` lines; comments skipped) to an event. */
export function parseEvent(block: string, onEvent: (e: StreamEvent) => void) {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return;
  const text = data.join('\n');
  try { onEvent({ event, data: JSON.parse(text) }); } catch { onEvent({ event, data: text }); }
}
