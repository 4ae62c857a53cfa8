// Hash routes (#/flows/3): the server serves one page, and every path under /api stays the API's.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'flows' }
  | { page: 'builder'; flowId: number }
  | { page: 'tasks'; flowId?: number }
  | { page: 'task'; taskId: number }
  | { page: 'keys' }
  | { page: 'knowledge' }
  | { page: 'mcp' }
  | { page: 'versions'; flowId: number }
  | { page: 'credentials' }
  | { page: 'templates' }
  | { page: 'webhooks'; flowId: number }
  // issue 15: people
  | { page: 'members' }
  | { page: 'account' }
  | { page: 'audit' }
  | { page: 'invite'; token: string }
  | { page: 'schedules'; flowId?: number };

export function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  if (parts[0] === 'flows' && parts[1] && parts[2] === 'webhooks') return { page: 'webhooks', flowId: Number(parts[1]) };
  if (parts[0] === 'flows' && parts[1] && parts[2] === 'schedules') return { page: 'schedules', flowId: Number(parts[1]) };
  if (parts[0] === 'schedules') return { page: 'schedules' };
  if (parts[0] === 'flows' && parts[1] && parts[2] === 'versions') return { page: 'versions', flowId: Number(parts[1]) };
  if (parts[0] === 'flows' && parts[1]) return { page: 'builder', flowId: Number(parts[1]) };
  if (parts[0] === 'tasks' && parts[1]) return { page: 'task', taskId: Number(parts[1]) };
  if (parts[0] === 'tasks') return { page: 'tasks', flowId: query.get('flow') ? Number(query.get('flow')) : undefined };
  if (parts[0] === 'keys') return { page: 'keys' };
  if (parts[0] === 'knowledge') return { page: 'knowledge' };
  if (parts[0] === 'mcp') return { page: 'mcp' };
  if (parts[0] === 'credentials') return { page: 'credentials' };
  if (parts[0] === 'templates') return { page: 'templates' };
  if (parts[0] === 'members') return { page: 'members' };
  if (parts[0] === 'account') return { page: 'account' };
  if (parts[0] === 'audit') return { page: 'audit' };
  if (parts[0] === 'invite' && parts[1]) return { page: 'invite', token: parts[1] };
  return { page: 'flows' };
}

export const go = (path: string) => { window.location.hash = path; };

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
