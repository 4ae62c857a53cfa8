import { describe, expect, it } from 'vitest';
import { bodyOf, emptyForm, fireTime, formOf } from './schedules';
import type { Schedule } from './schedules';

describe('schedule editor', () => {
  it('sends the fields as the API names them, the limit only for catch-up all', () => {
    const form = { ...emptyForm('Europe/Paris'), inputs: '{"name": "Ada"}' };
    expect(bodyOf(form)).toEqual({ body: { cron: '0 9 * * 1-5', zone: 'Europe/Paris', inputs: { name: 'Ada' },
      enabled: true, catch_up: 'skip' } });
    expect(bodyOf({ ...form, catchUp: 'all', limit: '25' })).toMatchObject({ body: { catch_up: 'all', catch_up_limit: 25 } });
  });

  it('refuses inputs that are not a JSON object before asking the server', () => {
    expect(bodyOf({ ...emptyForm('UTC'), inputs: '{name' })).toHaveProperty('error');
    expect(bodyOf({ ...emptyForm('UTC'), inputs: '[1]' })).toHaveProperty('error');
    expect(bodyOf({ ...emptyForm('UTC'), inputs: '' })).toMatchObject({ body: { inputs: {} } });
  });

  it('edits a stored schedule as it was saved', () => {
    const stored = { cron: '*/30 * * * * *', zone: 'UTC', inputs: { a: 1 }, enabled: false, catch_up: 'once',
      catch_up_limit: 10 } as unknown as Schedule;
    expect(bodyOf(formOf(stored))).toEqual({ body: { cron: '*/30 * * * * *', zone: 'UTC', inputs: { a: 1 },
      enabled: false, catch_up: 'once' } });
  });

  it('shows a fire time in the schedule zone with its offset', () => {
    expect(fireTime('2026-12-07T09:00:00+01:00')).toBe('Mon 7 Dec 2026, 09:00 +01:00');
    expect(fireTime('2026-12-07T09:00:30Z')).toBe('Mon 7 Dec 2026, 09:00:30 UTC');
    expect(fireTime('not a time')).toBe('not a time');
  });
});
