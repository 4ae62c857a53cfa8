// One field mapping on the canvas: a bezier curve, red when its field types do not match and amber when another
// edge leads into the same field (the reason on hover), with a delete button while hovered or selected.
import { memo, useContext } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import type { Edge, EdgeProps } from '@xyflow/react';
import type { EdgeCheck } from '../lib/flowGraph';
import { CanvasContext } from './canvasContext';

export interface WeftEdgeData extends Record<string, unknown> { check?: EdgeCheck; hovered?: boolean }
export type WeftFlowEdge = Edge<WeftEdgeData, 'weft'>;

function WeftEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, data, markerEnd,
  animated: _animated, style }: EdgeProps<WeftFlowEdge>) {
  const actions = useContext(CanvasContext);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const check = data?.check;
  const showDelete = !actions.readOnly && (selected || data?.hovered);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style}
        className={check ? `edge-${check.level}` : undefined} interactionWidth={24} />
      {(check || showDelete) && (
        <EdgeLabelRenderer>
          <div className="edge-tools nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {check && <span className={`edge-check edge-check-${check.level}`} title={check.message}
              data-test={`edge-check-${id}`}>{check.level === 'error' ? '✖' : '⚠'}</span>}
            {showDelete && <button type="button" className="edge-delete" title="Delete this connection (Del)"
              aria-label="Delete connection" data-test={`edge-delete-${id}`}
              onClick={(e) => { e.stopPropagation(); actions.deleteEdge(id); }}>×</button>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const WeftEdge = memo(WeftEdgeView);
