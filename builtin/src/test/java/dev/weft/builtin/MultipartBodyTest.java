package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MultipartReader;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** The multipart bodies the media nodes send, read back with okhttp's parser (an implementation of its own). */
class MultipartBodyTest {

    private record Part(String disposition, String contentType, byte[] bytes) {}

    private static List<Part> parse(MultipartBody body) throws Exception {
        String boundary = body.contentType().substring(body.contentType().indexOf("boundary=") + 9);
        List<Part> parts = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(body.bytes()), boundary)) {
            for (MultipartReader.Part part; (part = reader.nextPart()) != null; ) {
                parts.add(new Part(part.headers().get("Content-Disposition"), part.headers().get("Content-Type"),
                        part.body().readByteArray()));
            }
        }
        return parts;
    }

    @Test
    void fields_and_files_come_back_whole_with_their_names_and_types() throws Exception {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;   // CR, LF and dashes included
        MultipartBody body = new MultipartBody().field("model", "whisper-1").field("prompt", "Zoë's café")
                .file("file", "talk.mp3", "audio/mpeg", binary).field("timestamp_granularities[]", "word");

        assertThat(body.contentType()).matches("multipart/form-data; boundary=weft-[0-9a-f]{32}");
        List<Part> parts = parse(body);
        assertThat(parts).extracting(Part::disposition).containsExactly("form-data; name=\"model\"",
                "form-data; name=\"prompt\"", "form-data; name=\"file\"; filename=\"talk.mp3\"",
                "form-data; name=\"timestamp_granularities[]\"");
        assertThat(new String(parts.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("Zoë's café");
        assertThat(parts.get(2).contentType()).isEqualTo("audio/mpeg");
        assertThat(parts.get(2).bytes()).isEqualTo(binary);
        assertThat(parts.get(0).contentType()).isNull();
    }

    @Test
    void a_file_name_cannot_break_out_of_its_header() throws Exception {
        MultipartBody body = new MultipartBody().file("image", "a\"b\r\nX-Evil: 1.png", "image/png", new byte[] {1});

        Part part = parse(body).get(0);
        assertThat(part.disposition()).isEqualTo("form-data; name=\"image\"; filename=\"a%22b%0D%0AX-Evil: 1.png\"");
    }

    @Test
    void two_bodies_have_different_boundaries() {
        assertThat(new MultipartBody().contentType()).isNotEqualTo(new MultipartBody().contentType());
    }
}
