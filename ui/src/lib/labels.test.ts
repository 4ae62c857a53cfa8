import { describe, expect, it } from 'vitest';
import { inputLabel } from './labels';

describe('a run input label', () => {
  it('uses the title and keeps the name to show small', () => {
    expect(inputLabel('q', { type: 'string', title: 'Question' })).toEqual({ title: 'Question', name: 'q' });
  });
  it('falls back to the name when there is no title, a blank one or the same one', () => {
    expect(inputLabel('q', { type: 'string' })).toEqual({ title: 'q', name: null });
    expect(inputLabel('q', { title: '  ' })).toEqual({ title: 'q', name: null });
    expect(inputLabel('q', { title: 'q' })).toEqual({ title: 'q', name: null });
    expect(inputLabel('q', undefined)).toEqual({ title: 'q', name: null });
  });
});
