// Stored credentials as the API gives them (never a secret), and the body a create or rotate form sends.
import type { JsonObject } from './types';

export type CredentialType = 'api_key' | 'bearer' | 'basic' | 'headers';

export interface CredentialUse { flow_id: number; flow_name: string; versions: number[]; draft: boolean }

export interface CredentialInfo {
  name: string;
  type: CredentialType;
  description: string | null;
  hosts: string[];
  created_at: string;
  rotated_at: string | null;
  used_by: CredentialUse[];
  /** The stored MCP servers whose headers send it. */
  mcp_servers?: string[];
  /** The live webhooks whose signature check uses its secret, each as "'name' of flow id". */
  webhooks?: string[];
}

export const CREDENTIAL_TYPES: { id: CredentialType; title: string; hint: string }[] = [
  { id: 'api_key', title: 'API key', hint: 'A provider key (OpenAI, Anthropic...): the node sends it the way that provider expects.' },
  { id: 'bearer', title: 'Bearer token', hint: 'A token sent as Authorization: Bearer <token>.' },
  { id: 'basic', title: 'Basic (user + password)', hint: 'Sent as Authorization: Basic by http nodes.' },
  { id: 'headers', title: 'Custom headers', hint: 'Name/value pairs, each sent as a header by http nodes.' },
];

export const typeTitle = (type: CredentialType) => CREDENTIAL_TYPES.find((t) => t.id === type)?.title ?? type;

/** What the secret fields of a form hold, whatever the type. */
export interface SecretFields {
  secret: string;
  username: string;
  password: string;
  headers: { name: string; value: string }[];
}

export const emptySecret = (): SecretFields => ({ secret: '', username: '', password: '', headers: [{ name: '', value: '' }] });

/** The secret part of a create or rotate body for `type`; the server checks it and names any field at fault. */
export function secretBody(type: CredentialType, fields: SecretFields): JsonObject {
  if (type === 'basic') return { username: fields.username, password: fields.password };
  if (type === 'headers') {
    const headers: JsonObject = {};
    for (const h of fields.headers) if (h.name.trim()) headers[h.name.trim()] = h.value;
    return { headers };
  }
  return { secret: fields.secret };
}

/** A create body: name, type, description and hosts (comma or space separated), and the secret fields. */
export function createBody(name: string, type: CredentialType, description: string, hosts: string, fields: SecretFields): JsonObject {
  const body: JsonObject = { name: name.trim(), type, ...secretBody(type, fields) };
  if (description.trim()) body.description = description.trim();
  const list = hosts.split(/[\s,]+/).filter(Boolean);
  if (list.length > 0) body.hosts = list;
  return body;
}

/** "Hello (v1, v2), Chat (draft)": where a credential is used, for the list and the delete warning. */
export function usedBy(uses: CredentialUse[]): string {
  return uses.map((u) => {
    const parts = u.versions.map((v) => `v${v}`);
    if (u.draft) parts.push('draft');
    return `${u.flow_name} #${u.flow_id} (${parts.join(', ')})`;
  }).join('; ');
}

let cached: Promise<CredentialInfo[]> | null = null;

/** The stored credentials, asked once per page load and again after `forget` (a create elsewhere). */
export function credentialList(load: () => Promise<CredentialInfo[]>): Promise<CredentialInfo[]> {
  if (!cached) cached = load().catch((e) => { cached = null; throw e; });
  return cached;
}

export function forgetCredentials() {
  cached = null;
}
