import { describe, expect, it } from 'vitest';
import { emptyForm, summary, webhookBody, webhookCurl } from './webhooks';
import type { Webhook } from './webhooks';

describe('webhook bodies', () => {
  it('sends a signature only with a preset, and the header only where the preset reads one', () => {
    expect(webhookBody({ ...emptyForm(), name: ' push ', header: 'X-A' })).toEqual({ name: 'push', answer: { mode: 'accepted' } });
    expect(webhookBody({ ...emptyForm(), name: 'gh', preset: 'github', credential: 'gh-secret', header: 'X-A' }))
      .toEqual({ name: 'gh', signature: { preset: 'github', secret_credential: 'gh-secret' }, answer: { mode: 'accepted' } });
    expect(webhookBody({ ...emptyForm(), name: 'h', preset: 'header', credential: 'c', header: ' X-Token ',
      mapping: ' {"name": body.who} ', mode: 'wait', waitSeconds: '5' }))
      .toEqual({ name: 'h', signature: { preset: 'header', secret_credential: 'c', header: 'X-Token' },
        mapping: '{"name": body.who}', answer: { mode: 'wait', wait_seconds: 5 } });
  });
});

describe('webhook curl examples', () => {
  it('signs a GitHub request with openssl over the exact body it sends', () => {
    const curl = webhookCurl('http://h/hooks/whk_x', { preset: 'github', secret_credential: 'c' }, '{"name":"Ada"}');
    expect(curl).toContain(`BODY='{"name":"Ada"}'`);
    expect(curl).toContain(`printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET"`);
    expect(curl).toContain('-H "X-Hub-Signature-256: sha256=$SIG"');
    expect(curl).toContain('--data-binary "$BODY"');
  });

  it('signs a Stripe request over "t.body" with the current time', () => {
    const curl = webhookCurl('http://h/hooks/whk_x', { preset: 'stripe', secret_credential: 'c' }, '{}');
    expect(curl).toContain('T=$(date +%s)');
    expect(curl).toContain(`printf '%s' "$T.$BODY"`);
    expect(curl).toContain('Stripe-Signature: t=$T,v1=$SIG');
  });

  it('sends an unsigned body as is', () => {
    expect(webhookCurl('http://h/hooks/whk_x', null, "{\"it's\":1}")).toBe(
      "curl -X POST 'http://h/hooks/whk_x' \\\n  -H 'Content-Type: application/json' \\\n  --data-binary '{\"it'\\''s\":1}'");
  });

  it('summarises how a webhook checks and answers', () => {
    const hook = { signature: { preset: 'stripe', secret_credential: 'c' }, mapping: null,
      answer: { mode: 'wait', wait_seconds: 10 } } as unknown as Webhook;
    expect(summary(hook)).toBe('Stripe · body = inputs · waits up to 10 s');
  });
});
