// Schedules (issue 16): the API's shapes and the editor's form turned into a request body.

export interface ScheduleTick { due_at: string; task_id: number | null; claimed_at: string }

export interface Schedule {
  id: number;
  flow_id: number;
  cron: string;
  zone: string;
  inputs: Record<string, unknown>;
  enabled: boolean;
  catch_up: 'skip' | 'once' | 'all';
  catch_up_limit: number;
  next_due: string | null;
  next_runs: string[];
  last_tick: ScheduleTick | null;
  created_at: string;
  updated_at: string;
}

/** What the editor holds: every field as typed, the inputs as JSON text. */
export interface ScheduleForm {
  cron: string;
  zone: string;
  inputs: string;
  enabled: boolean;
  catchUp: 'skip' | 'once' | 'all';
  limit: string;
}

export const emptyForm = (zone: string): ScheduleForm =>
  ({ cron: '0 9 * * 1-5', zone, inputs: '{}', enabled: true, catchUp: 'skip', limit: '10' });

export const formOf = (s: Schedule): ScheduleForm => ({ cron: s.cron, zone: s.zone,
  inputs: JSON.stringify(s.inputs ?? {}, null, 2), enabled: s.enabled, catchUp: s.catch_up,
  limit: String(s.catch_up_limit) });

/** The request body, or the problem with the inputs text (the server checks everything else). */
export function bodyOf(form: ScheduleForm): { body: Record<string, unknown> } | { error: string } {
  let inputs: unknown;
  try {
    inputs = form.inputs.trim() === '' ? {} : JSON.parse(form.inputs);
  } catch {
    return { error: 'Inputs must be JSON, such as {"name": "Ada"}.' };
  }
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    return { error: 'Inputs must be a JSON object of the start node’s inputs, such as {"name": "Ada"}.' };
  }
  const body: Record<string, unknown> = { cron: form.cron.trim(), zone: form.zone.trim() || 'UTC', inputs,
    enabled: form.enabled, catch_up: form.catchUp };
  if (form.catchUp === 'all') body.catch_up_limit = Number(form.limit);
  return { body };
}

/** A fire time as the schedule's zone wrote it (2026-12-07T09:00:00+01:00) shown short: "Mon 7 Dec, 09:00 +01:00". */
export function fireTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const seconds = m[6] === '00' ? '' : `:${m[6]}`;
  return `${names[day.getUTCDay()]} ${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]}${seconds} ${m[7] === 'Z' ? 'UTC' : m[7]}`;
}

/** The IANA zones the browser knows, for the zone picker (empty where the browser cannot list them). */
export function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? ['UTC', ...intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')] : ['UTC'];
}
