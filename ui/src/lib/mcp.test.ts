import { describe, expect, it } from 'vitest';
import { argumentNames } from './mcp';

describe('argumentNames', () => {
  it('lists required arguments first and marks the optional ones', () => {
    expect(argumentNames({ type: 'object', properties: { note: {}, a: {}, b: {} }, required: ['a', 'b'] }))
      .toBe('a, b, note?');
  });

  it('is empty for a tool without arguments or without a schema', () => {
    expect(argumentNames({ type: 'object', properties: {} })).toBe('');
    expect(argumentNames(undefined)).toBe('');
  });
});
