package dev.weft.http;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.util.function.Supplier;

/** Reads the one file of a {@code multipart/form-data} upload, as the files and knowledge-base APIs take it. */
public final class Uploads {

    private Uploads() {}

    /**
     * The form's {@code file} field. A form over the server's multipart limit fails with {@code tooLarge}; an
     * unreadable form, or one without the field, with a 400 naming it ({@code holds}: what the field should hold).
     */
    public static UploadedFile file(Context ctx, String holds, Supplier<ApiException> tooLarge) {
        UploadedFile part;
        try {
            part = ctx.uploadedFile("file");
        } catch (Exception e) {   // Jetty's ServletException, thrown through Kotlin without being declared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains("size exceeded")) throw tooLarge.get();
            }
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "is not a readable multipart form");
        }
        if (part == null) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "file", "is required: a multipart form field named"
                    + " file that holds " + holds);
        }
        return part;
    }
}
