import { describe, expect, it } from 'vitest';
import { pinnedCurl, shown, summaryLine } from './versionDiff';
import type { VersionDiff } from './versionDiff';

const diff = (over: Partial<VersionDiff>): VersionDiff => ({ flow_id: 1, version: 2, against: 1, identical: false,
  summary: { nodes_added: 1, nodes_removed: 0, nodes_changed: 2, edges_added: 2, edges_removed: 1 },
  nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [] }, flow: [], ...over });

describe('versions', () => {
  it('says a diff in one line', () => {
    expect(summaryLine(diff({}))).toBe('1 node added, 2 changed, 2 connections added, 1 removed.');
    expect(summaryLine(diff({ identical: true }))).toBe('No differences (canvas positions aside).');
  });

  it('shows values readably and cuts long ones', () => {
    expect(shown('Hello')).toBe('Hello');
    expect(shown({ a: 1 })).toBe('{"a":1}');
    expect(shown(undefined)).toBe('—');
    expect(shown('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('pins the version in the execute body, quoted for the shell', () => {
    const code = pinnedCurl('http://127.0.0.1:8080', 3, 2, 'start', { name: "O'Neil" });
    expect(code).toContain("'http://127.0.0.1:8080/api/v1/scade/flow/3/execute?wait=30'");
    expect(code).toContain(`-d '{"flow_version":2,"node_settings":{"start":{"data":{"name":"O'\\''Neil"}}}}'`);
  });
});
