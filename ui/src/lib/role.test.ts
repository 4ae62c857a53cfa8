import { describe, expect, it } from 'vitest';
import { allows } from './role';

describe('allows', () => {
  it('gives each role what the one below has and more', () => {
    expect(allows('viewer', 'read')).toBe(true);
    expect(allows('viewer', 'run')).toBe(false);
    expect(allows('runner', 'run')).toBe(true);
    expect(allows('runner', 'build')).toBe(false);
    expect(allows('editor', 'build')).toBe(true);
    expect(allows('editor', 'manage')).toBe(false);
    expect(allows('owner', 'manage')).toBe(true);
  });
});
