// Webhook triggers as the API gives them, the body a create form sends, and a curl example that signs its
// request the way the chosen preset checks it.
import { shellQuote } from './snippets';
import type { JsonObject } from './types';

export type Preset = 'none' | 'github' | 'stripe' | 'hmac' | 'header';

export interface Signature {
  preset: Exclude<Preset, 'none'>;
  secret_credential: string;
  header?: string;
  tolerance_seconds?: number;
  algorithm?: string;
  encoding?: string;
  prefix?: string;
}

export interface Webhook {
  id: string;
  flow_id: number;
  name: string;
  live: boolean;
  signature: Signature | null;
  mapping: string | null;
  answer: { mode: 'accepted' | 'wait'; wait_seconds?: number };
  max_body_bytes: number;
  rate_limit: { per_second: number; burst: number };
  created_at: string;
  revoked_at: string | null;
  token?: string;
  url?: string;
}

export const PRESETS: { id: Preset; title: string; hint: string }[] = [
  { id: 'none', title: 'No signature', hint: 'Anyone with the URL can start the flow: the URL is the secret.' },
  { id: 'github', title: 'GitHub', hint: 'X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>; redeliveries refused by X-GitHub-Delivery.' },
  { id: 'stripe', title: 'Stripe', hint: 'Stripe-Signature: t=…,v1=… over "t.body"; timestamps more than 5 minutes off are refused.' },
  { id: 'hmac', title: 'HMAC in a header', hint: 'Hex HMAC-SHA256 of the body in the header you name.' },
  { id: 'header', title: 'Static header', hint: 'The credential’s secret, sent as is in the header you name.' },
];

/** What the create form holds. */
export interface WebhookForm {
  name: string;
  preset: Preset;
  credential: string;
  header: string;
  mapping: string;
  mode: 'accepted' | 'wait';
  waitSeconds: string;
}

export const emptyForm = (): WebhookForm => ({ name: '', preset: 'none', credential: '', header: '', mapping: '',
  mode: 'accepted', waitSeconds: '10' });

/** The create body for `form`; the server checks it and names any field at fault. */
export function webhookBody(form: WebhookForm): JsonObject {
  const body: JsonObject = { name: form.name.trim() };
  if (form.preset !== 'none') {
    const signature: JsonObject = { preset: form.preset, secret_credential: form.credential };
    if ((form.preset === 'hmac' || form.preset === 'header') && form.header.trim()) signature.header = form.header.trim();
    body.signature = signature;
  }
  if (form.mapping.trim()) body.mapping = form.mapping.trim();
  body.answer = form.mode === 'wait' ? { mode: 'wait', wait_seconds: Number(form.waitSeconds) } : { mode: 'accepted' };
  return body;
}

const SECRET = '$WEBHOOK_SECRET';

/** A runnable curl for `url` sending `body`, signed as `signature` says (the secret read from $WEBHOOK_SECRET). */
export function webhookCurl(url: string, signature: Signature | null, body: string): string {
  const lines: string[] = [];
  const send = [`curl -X POST ${shellQuote(url)} \\`, `  -H 'Content-Type: application/json' \\`];
  const data = `  --data-binary ${shellQuote(body)}`;
  if (!signature) return [...send, data].join('\n');
  lines.push(`BODY=${shellQuote(body)}`);
  if (signature.preset === 'github') {
    lines.push(`SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "${SECRET}" | sed 's/^.* //')`);
    send.push(`  -H "X-Hub-Signature-256: sha256=$SIG" \\`);
  } else if (signature.preset === 'stripe') {
    lines.push('T=$(date +%s)');
    lines.push(`SIG=$(printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "${SECRET}" | sed 's/^.* //')`);
    send.push('  -H "Stripe-Signature: t=$T,v1=$SIG" \\');
  } else if (signature.preset === 'hmac') {
    lines.push(`SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "${SECRET}" | sed 's/^.* //')`);
    send.push(`  -H "${signature.header ?? 'X-Signature'}: ${signature.prefix ?? ''}$SIG" \\`);
  } else {
    send.push(`  -H "${signature.header}: ${SECRET}" \\`);
  }
  return [...lines, ...send, '  --data-binary "$BODY"'].join('\n');
}

/** One line saying how a webhook checks and answers. */
export function summary(hook: Webhook): string {
  const check = hook.signature ? PRESETS.find((p) => p.id === hook.signature?.preset)?.title ?? hook.signature.preset
    : 'no signature';
  const answer = hook.answer.mode === 'wait' ? `waits up to ${hook.answer.wait_seconds} s` : 'answers at once';
  return `${check} · ${hook.mapping ? 'mapped inputs' : 'body = inputs'} · ${answer}`;
}
