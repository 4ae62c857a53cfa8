// A sticky note on the canvas: text kept in the document's `notes` (never a node the engine runs), moved like a
// node, resized by its corner when selected.
import { memo, useContext } from 'react';
import { NodeResizer } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import { CanvasContext } from './canvasContext';

export interface NoteData extends Record<string, unknown> { noteId: string; text: string }
export type NoteFlowNode = Node<NoteData, 'note'>;
export const NOTE_PREFIX = 'note:';
export const NOTE_SIZE = { width: 220, height: 140 };

function NoteView({ data, selected }: NodeProps<NoteFlowNode>) {
  const actions = useContext(CanvasContext);
  return (
    <div className={`sticky${selected ? ' selected' : ''}`} data-test={`note-${data.noteId}`}>
      <NodeResizer isVisible={selected && !actions.readOnly} minWidth={140} minHeight={80}
        onResizeEnd={(_, p) => actions.resizeNote(data.noteId, p)} />
      <div className="sticky-grip" title="Drag to move" />
      <textarea className="sticky-text nodrag nowheel" value={data.text} readOnly={actions.readOnly}
        placeholder="Write a note…" aria-label="Note" data-test={`note-text-${data.noteId}`}
        onChange={(e) => actions.setNoteText(data.noteId, e.target.value)} />
    </div>
  );
}

export const NoteNode = memo(NoteView);
