package dev.weft.store.kb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Embeddings as stored: float32, little-endian, one after the other. */
public final class Vectors {

    private Vectors() {}

    public static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] floats(byte[] bytes) {
        if (bytes == null) return null;
        if (bytes.length % Float.BYTES != 0) throw new IllegalStateException("a stored vector of " + bytes.length + " bytes");
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    /** Whether cosine similarity can use the vector: every value finite and not all zero. */
    public static boolean usable(float[] vector) {
        boolean nonZero = false;
        for (float f : vector) {
            if (!Float.isFinite(f)) return false;
            if (f != 0) nonZero = true;
        }
        return nonZero;
    }
}
