import sys, collections, re
# Shares of a W3 profile (async-profiler collapsed stacks from bench/run.sh --profile, 1 sample = 1 ms of CPU) by
# where the time goes, in µs per task when given the tasks finished in the window (the load line's "ok").
# usage: python3 bench/profile_shares.py FILE.collapsed [TASKS [TOP_FRAMES]]
cats=[('JIT compiler threads','CompileBroker::'),
      ('writer (GroupCommit: SQLite, commit)','GroupCommit.loop'),
      ('JDK HTTP client (selector, executor, completions)','jdk/internal/net/http'),
      ('Jetty HTTP client (http node)','org/eclipse/jetty/client/'),
      ('run API handler (auth, body, accept, poll)','dev/weft/run/RunApi'),
      ('answering waits (TaskWaits)','TaskWaits'),
      ('engine (plan, launch, record)','dev/weft/engine/'),
      ('http node / fetch (builtin)','dev/weft/builtin/'),
      ('Jetty server (parse, dispatch, write)','org/eclipse/jetty'),
      ('GC','GCTaskThread|VMThread::|DefNew|Generation'),
     ]
f=sys.argv[1]; tasks=int(sys.argv[2]) if len(sys.argv)>2 else 0
c=collections.Counter(); tot=0; selfc=collections.Counter(); selfnj=collections.Counter()
for line in open(f):
    stack,_,n=line.rstrip().rpartition(' '); n=int(n); tot+=n
    for name,pat in cats:
        if re.search(pat, stack): c[name]+=n; break
    else: c['other (kernel, VM, idle selectors, ...)']+=n
    fr=stack.split(';')
    if 'CompileBroker::' not in stack: selfnj[fr[-1]]+=n
print(f, 'samples', tot, 'tasks', tasks)
for name,_ in cats+[('other (kernel, VM, idle selectors, ...)','')]: print(f'  {100*c[name]/tot:5.1f}%  {name}' + (f'  {1000*c[name]/tasks:7.0f} us/task' if tasks else ''))
nj=tot-c['JIT compiler threads']
if tasks: print(f'  total {1000*tot/tasks:.0f} us/task, without JIT {1000*nj/tasks:.0f} us/task')
print('  top self frames outside JIT (share of non-JIT samples):')
for k,v in selfnj.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 8): print(f'    {100*v/nj:5.1f}% {k[:110]}')
