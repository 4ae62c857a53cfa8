import { describe, expect, it } from 'vitest';
import { record, redo, start, undo } from './history';

describe('undo and redo', () => {
  it('steps back and forth, and a new edit drops the redo steps', () => {
    let h = start('a');
    h = record(h, 'b', 'x', 0);
    h = record(h, 'c', 'y', 10);
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'd', 'z', 20);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('merges quick edits of the same thing into one step', () => {
    let h = start('');
    h = record(h, 'H', 'template', 0);
    h = record(h, 'He', 'template', 300);
    h = record(h, 'Hel', 'template', 600);
    expect(undo(h).present).toBe('');
    h = record(h, 'Hell', 'template', 5000);
    expect(undo(h).present).toBe('Hel');
  });
});
