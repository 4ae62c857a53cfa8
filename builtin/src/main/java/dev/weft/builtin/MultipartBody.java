package dev.weft.builtin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A {@code multipart/form-data} request body (RFC 7578) built in memory, for the media nodes' uploads (an image to
 * edit, audio to transcribe): text fields and files, each a part with its name, a file part with its file name and
 * content type. The boundary is random, so that no part's bytes can end the body early by chance or on purpose.
 *
 * <p>Written here rather than taken from a library: the JDK's HTTP client has no multipart builder, and the
 * libraries that have one (Apache httpclient5's mime module, okhttp) would add an HTTP client of their own to the
 * engine's classpath for some sixty lines of framing.
 */
final class MultipartBody {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartBody() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.boundary = "weft-" + HexFormat.of().formatHex(random);
    }

    /** Adds a text field. */
    MultipartBody field(String name, String value) {
        head("form-data; name=\"" + quoted(name) + "\"", null);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
        return this;
    }

    /** Adds a file part: its bytes, sent as they are, with its file name and content type. */
    MultipartBody file(String name, String fileName, String contentType, byte[] bytes) {
        head("form-data; name=\"" + quoted(name) + "\"; filename=\"" + quoted(fileName) + "\"", contentType);
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
        return this;
    }

    /** The value of the request's {@code Content-Type} header. */
    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The whole body, closed with the final boundary. */
    byte[] bytes() {
        ByteArrayOutputStream whole = new ByteArrayOutputStream(out.size() + boundary.length() + 8);
        whole.writeBytes(out.toByteArray());
        whole.writeBytes(("--" + boundary + "--").getBytes(StandardCharsets.US_ASCII));
        whole.writeBytes(CRLF);
        return whole.toByteArray();
    }

    private void head(String disposition, String contentType) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: ").append(disposition).append("\r\n");
        if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A name as a quoted string: as browsers do (WHATWG's form encoding), a quote becomes {@code %22} and a line
     * break {@code %0D}/{@code %0A}, so that no name can end its header or start another.
     */
    static String quoted(String name) {
        return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }
}
