import { describe, expect, it } from 'vitest';
import { curl, executeBody, golang, java, javascript, python, sampleInputs, shellQuote, SNIPPETS } from './snippets';

const input = { baseUrl: 'http://127.0.0.1:8080', flowId: 7, startNodeId: 'start', endNodeId: 'end', resultNodeId: 'end',
  inputs: { name: "O'Brien" } };

describe('publish snippets', () => {
  it('fill in the flow id, the node ids, the inputs and a key placeholder', () => {
    for (const s of SNIPPETS) {
      const text = s.make(input);
      expect(text).toContain('/api/v1/scade/flow/7/execute');
      expect(text).toContain('YOUR_SERVER_KEY');
      expect(text).toContain('start_node_id');
    }
    expect(executeBody(input)).toEqual({ start_node_id: 'start', end_node_id: 'end', result_node_id: 'end',
      node_settings: { start: { data: { name: "O'Brien" } } } });
  });

  it('quote the curl body so a shell passes it through unchanged', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(curl(input)).toContain(`-d '{"start_node_id":"start","end_node_id":"end","result_node_id":"end","node_settings":{"start":{"data":{"name":"O'\\''Brien"}}}}')`);
  });

  it('make the curl snippet a whole script that polls the task it started, with no placeholder left to fill', () => {
    const script = curl(input);
    expect(script).not.toContain('<task id>');
    expect(script).toContain(`grep -o "\\"$1\\": *[0-9]*"`);
    expect(script).toContain('"$BASE/api/v1/task/$id"');
    expect(script.split('\n').filter((line) => line.startsWith('#')).length).toBe(2);
  });

  it('write Python literals with the standard library only, JavaScript objects and a Java string', () => {
    expect(python({ ...input, inputs: { ok: true, n: null } })).toContain('"ok": True,');
    expect(python({ ...input, inputs: { ok: true, n: null } })).toContain('"n": None,');
    expect(python(input)).toContain('import urllib.request');
    expect(python(input)).not.toMatch(/import requests/);
    expect(javascript(input)).toContain('"name": "O\'Brien"');
    expect(javascript(input)).not.toMatch(/^(let|const) \w+ = await/m);   // no top-level await: runs as .js or .mjs
    expect(java(input)).toContain('String body = "{\\"start_node_id\\":\\"start\\"');
  });

  it('keep the Java snippet\'s backslashes: its regular expression and quotes survive as Java source', () => {
    expect(java(input)).toContain('Pattern.compile("\\"" + field + "\\"\\\\s*:\\\\s*(\\\\d+)")');
    expect(java(input)).not.toContain('""status":1,"');
  });

  it('write the Go body as an interpreted string literal and read the task into a struct with tags', () => {
    expect(golang(input)).toContain('body := []byte("{\\"start_node_id\\":\\"start\\"');
    expect(golang(input)).toContain('ID     int64 `json:"id"`');
  });

  it('sample inputs come from saved data, then defaults, then the type', () => {
    expect(sampleInputs([['a', 'string'], ['b', 'integer'], ['c', 'boolean'], ['d', 'string']], { a: 'Ada' }, { d: 'x' }))
      .toEqual({ a: 'Ada', b: 0, c: false, d: 'x' });
  });
});
