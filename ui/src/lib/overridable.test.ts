import { describe, expect, it } from 'vitest';
import { allowedSettings, withOverridable } from './overridable';
import type { DocNode, NodeTypeInfo } from './types';

const http = {
  type: 'http', title: 'HTTP', category: 'integration', description: '', ports: [], inputs: [], outputs: [],
  locked_settings: ['url', 'auth'],
  settings_schema: { type: 'object', properties: { method: {}, url: {}, auth: {} } },
} as unknown as NodeTypeInfo;
const node: DocNode = { id: 'h', type: 'http', settings: { url: 'https://example.com' } };

describe('which settings a run may override', () => {
  it('defaults to every setting the type does not lock', () => {
    expect([...allowedSettings(node, http)]).toEqual(['method']);
  });

  it('opening a locked setting writes the exact list, and closing it again drops the field', () => {
    const opened = withOverridable(node, http, 'url', true);
    expect(opened.overridable).toEqual(['method', 'url']);
    expect(withOverridable(opened, http, 'url', false)).toEqual(node);
  });

  it('writes true when every setting is open and false when none is', () => {
    const all = withOverridable(withOverridable(node, http, 'url', true), http, 'auth', true);
    expect(all.overridable).toBe(true);
    expect(withOverridable(node, http, 'method', false).overridable).toBe(false);
    expect([...allowedSettings({ ...node, overridable: false }, http)]).toEqual([]);
  });
});
