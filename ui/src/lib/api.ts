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
