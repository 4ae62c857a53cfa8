import { describe, expect, it } from 'vitest';
import { createBody, emptySecret, secretBody, usedBy } from './credentials';

describe('credential bodies', () => {
  it('sends the secret fields of the chosen type only', () => {
    const fields = { ...emptySecret(), secret: 'sk-1', username: 'ada', password: 'pw',
      headers: [{ name: ' X-Api-Key ', value: 'k' }, { name: '', value: 'ignored' }] };
    expect(secretBody('api_key', fields)).toEqual({ secret: 'sk-1' });
    expect(secretBody('basic', fields)).toEqual({ username: 'ada', password: 'pw' });
    expect(secretBody('headers', fields)).toEqual({ headers: { 'X-Api-Key': 'k' } });
  });

  it('splits hosts and leaves out an empty description', () => {
    expect(createBody(' gh ', 'bearer', ' ', 'api.github.com, *.example.com', { ...emptySecret(), secret: 't' }))
      .toEqual({ name: 'gh', type: 'bearer', secret: 't', hosts: ['api.github.com', '*.example.com'] });
  });

  it('names the flows, versions and drafts that use a credential', () => {
    expect(usedBy([{ flow_id: 3, flow_name: 'Hello', versions: [1, 2], draft: true },
      { flow_id: 4, flow_name: 'Chat', versions: [], draft: true }])).toBe('Hello #3 (v1, v2, draft); Chat #4 (draft)');
  });
});
