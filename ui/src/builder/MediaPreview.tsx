// Shows the images of a result and plays its audio, below the JSON (see lib/media.ts for what counts).
import { mediaIn } from '../lib/media';
import type { Json } from '../lib/types';

export function MediaPreview({ value, test }: { value: Json | undefined; test: string }) {
  const media = mediaIn(value);
  if (media.length === 0) return null;
  return (
    <div className="media-preview" data-test={test}>
      {media.map((m) => m.kind === 'image'
        ? <a key={m.url} href={m.url} target="_blank" rel="noreferrer"><img src={m.url} alt={`generated image (${m.contentType})`} /></a>
        : <audio key={m.url} controls preload="none" src={m.url} aria-label={`audio (${m.contentType})`} />)}
    </div>
  );
}
