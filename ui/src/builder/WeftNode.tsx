// One node on the canvas: its title and id, an input handle per input field (left), an output handle per output
// field (right), a "+" handle that makes a new input field, its problems and its state in a run.
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import { PLACEHOLDER } from '../lib/catalogue';
import { NEW_INPUT, IN, OUT } from '../lib/flowGraph';
import type { NodeRun } from '../lib/runState';

export interface WeftNodeData extends Record<string, unknown> {
  id: string;
  type: string;
  title: string;
  category: string;
  summary: string;
  inputs: [string, string][];
  outputs: [string, string][];
  acceptsNew: boolean;
  problems?: string[];
  run?: NodeRun;
  isDefault?: boolean;
  /** drafts: the node's output is pinned (test-runs use it instead of running the node). */
  pinned?: boolean;
  /** Nothing feeds it yet: it would never run (a hint while the flow is drawn, not an error). */
  unconnected?: boolean;
}

export type WeftFlowNode = Node<WeftNodeData, 'weft'>;

function WeftNodeView({ data, selected }: NodeProps<WeftFlowNode>) {
  const state = data.run?.state;
  const placeholder = data.type === PLACEHOLDER;
  const classes = ['wnode', `wnode-${data.category}`, placeholder ? 'wnode-placeholder' : '', selected ? 'selected' : '', data.problems?.length ? 'has-problems' : '',
    state ? `run-${state}` : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-test={`node-${data.id}`} title={data.problems?.join('\n')}>
      <div className="wnode-head">
        <span className="wnode-title">{data.title}</span>
        <span className="wnode-id">{data.id}</span>
        {placeholder && <span className="badge badge-replace" data-test={`needs-replacing-${data.id}`}
          title="A Scade node Weft has no node for: replace it before publishing">needs replacing</span>}
        {data.pinned && <span className="badge badge-pinned" data-test={`pinned-${data.id}`}
          title="Output pinned: test-runs of the draft use it instead of running this node">pinned</span>}
        {state && <span className={`badge badge-${state}`} data-test={`state-${data.id}`}>{state}
          {data.run?.ms !== undefined ? ` · ${data.run.ms} ms` : ''}</span>}
      </div>
      {data.summary && <div className="wnode-summary">{data.summary}</div>}
      <div className="wnode-ports">
        <div className="wnode-inputs">
          {data.inputs.map(([name, type]) => (
            <div className="port port-in" key={name}>
              <Handle type="target" position={Position.Left} id={IN + name} className="handle" data-test={`in-${data.id}-${name}`} />
              <span>{name}</span>{type && <span className="port-type">{type}</span>}
            </div>
          ))}
          {data.acceptsNew && (
            <div className="port port-in port-new">
              <Handle type="target" position={Position.Left} id={NEW_INPUT} className="handle handle-new" data-test={`in-${data.id}-+`} />
              <span>+ input</span>
            </div>
          )}
        </div>
        <div className="wnode-outputs">
          {data.outputs.map(([name, type]) => (
            <div className="port port-out" key={name}>
              {type && <span className="port-type">{type}</span>}<span>{name}</span>
              <Handle type="source" position={Position.Right} id={OUT + name} className="handle" data-test={`out-${data.id}-${name}`} />
            </div>
          ))}
        </div>
      </div>
      {data.problems && data.problems.length > 0 && (
        <div className="wnode-problems" data-test={`problems-${data.id}`}>
          {data.problems.slice(0, 3).map((p) => <div key={p}>⚠ {p}</div>)}
          {data.problems.length > 3 && <div>… {data.problems.length - 3} more</div>}
        </div>
      )}
      {data.unconnected && !data.problems?.length && (
        <div className="wnode-hint" data-test={`unconnected-${data.id}`}>Not connected yet: drag a field onto “+ input” so it runs</div>
      )}
      {data.run?.error && <div className="wnode-problems">✖ {data.run.error.message}</div>}
    </div>
  );
}

export const WeftNode = memo(WeftNodeView);
