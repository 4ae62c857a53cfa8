import { describe, expect, it } from 'vitest';
import { mediaIn } from './media';

describe('media in a result', () => {
  it('finds the images and audio files, each once, in order', () => {
    const result = {
      image: 'http://weft.test/api/v1/files/f1',
      images: [{ url: 'http://weft.test/api/v1/files/f1', file_id: 'f1', content_type: 'image/png', size: 10 },
        { url: 'http://weft.test/api/v1/files/f2', file_id: 'f2', content_type: 'image/webp', size: 12 }],
      spoken: { file: { url: 'http://weft.test/api/v1/files/f3', content_type: 'audio/mpeg' } },
      again: { url: 'http://weft.test/api/v1/files/f1', content_type: 'image/png' },
    };
    expect(mediaIn(result)).toEqual([
      { url: 'http://weft.test/api/v1/files/f1', kind: 'image', contentType: 'image/png' },
      { url: 'http://weft.test/api/v1/files/f2', kind: 'image', contentType: 'image/webp' },
      { url: 'http://weft.test/api/v1/files/f3', kind: 'audio', contentType: 'audio/mpeg' },
    ]);
  });

  it('ignores other files, URLs that are not http(s) and plain values', () => {
    expect(mediaIn({ doc: { url: 'http://x/f', content_type: 'application/pdf' },
      evil: { url: 'javascript:alert(1)', content_type: 'image/png' }, n: 1, s: 'text' })).toEqual([]);
    expect(mediaIn(null)).toEqual([]);
    expect(mediaIn(undefined)).toEqual([]);
  });
});
