package dev.weft.kb.index;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's own HNSW format with the dimension limit raised from 1,024 to {@link #MAX_DIMENSIONS}, so that OpenAI's
 * 1,536- and 3,072-dimension embeddings fit. It writes and reads exactly the standard format under its standard
 * name, so an index is readable by a stock Lucene; only the writer's check differs.
 */
final class WideVectors extends KnnVectorsFormat {

    static final int MAX_DIMENSIONS = 4096;
    private static final KnnVectorsFormat HNSW = new Lucene99HnswVectorsFormat();

    /** The default codec with this format for every vector field. */
    static Codec codec() {
        WideVectors wide = new WideVectors();
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return wide;
            }
        };
    }

    private WideVectors() {
        super(HNSW.getName());
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return HNSW.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return HNSW.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return MAX_DIMENSIONS;
    }
}
