package dev.weft.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.InputField;
import dev.weft.node.Problems;
import dev.weft.store.JdbcFileStore;
import java.util.List;
import java.util.Optional;

/**
 * Start inputs of {@code format: "uri"} given as a file uploaded to this Weft: its id ({@code f...}) or its URL is
 * checked to name a stored file and replaced by the file's full URL, which is what the start node emits.
 */
public final class FileInputs {

    /** For a server without a file store: values pass through unchanged. */
    public static final FileInputs NONE = new FileInputs(null, null);

    private final JdbcFileStore files;
    private final FileLinks links;

    public FileInputs(JdbcFileStore files, FileLinks links) {
        this.files = files;
        this.links = links;
    }

    /**
     * {@code data} with each file it names replaced by the file's URL (a copy; {@code data} itself when nothing
     * changed); a file that does not exist is a problem at the field's name.
     */
    public ObjectNode resolve(List<InputField> fields, ObjectNode data, Problems problems) {
        return resolve(fields, data, problems, dev.weft.store.Database.DEFAULT_WORKSPACE);
    }

    /** {@link #resolve(List, ObjectNode, Problems)} for a run in workspace {@code workspaceId}: only its files. */
    public ObjectNode resolve(List<InputField> fields, ObjectNode data, Problems problems, long workspaceId) {
        if (files == null) return data;
        ObjectNode resolved = data;
        for (InputField field : fields) {
            JsonNode value = data.get(field.name());
            if (!"uri".equals(field.format()) || value == null || !value.isTextual()) continue;
            Optional<String> id = links.idOf(value.asText());
            if (id.isEmpty()) continue;
            if (files.find(id.get(), workspaceId).isEmpty()) {   // another workspace's file: as if none
                problems.add(field.name(), "no file '" + id.get() + "' was uploaded to this Weft (upload one with "
                        + "POST /api/v1/files and pass its id or url)");
            }
            if (resolved == data) resolved = data.deepCopy();
            resolved.put(field.name(), links.url(id.get()));   // a URL either way: the problem above is the one to tell
        }
        return resolved;
    }
}
