package dev.weft.form;

import dev.weft.store.FormRecord;

/**
 * The hosted form's HTML: the title and description written by the server (so the page shows at once), and the
 * small script that fetches the fields, sends the form and shows the result ({@code /form-page/form.js}).
 */
final class FormPage {

    private FormPage() {}

    static String html(FormRecord form) {
        return head(form.title()) + """
                <main class="card" data-test="public-form">
                  <h1 data-test="form-title">%s</h1>
                  <p class="lead" data-test="form-description">%s</p>
                  <div id="app" data-token="%s" aria-live="polite"><p class="muted">Loading…</p></div>
                </main>
                <noscript><p class="card">This form needs JavaScript to send its answers.</p></noscript>
                <footer class="muted">Runs on Weft</footer>
                <script src="/form-page/form.js"></script>
                </body></html>
                """.formatted(escape(form.title()), escape(form.description()), escape(form.token()));
    }

    static String missing() {
        return head("Form not found") + """
                <main class="card" data-test="form-missing">
                  <h1>This form does not exist</h1>
                  <p class="lead">The link may be wrong, or its owner may have turned the form off.</p>
                </main>
                </body></html>
                """;
    }

    private static String head(String title) {
        return """
                <!doctype html>
                <html lang="en"><head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="color-scheme" content="light dark">
                <meta name="referrer" content="no-referrer">
                <meta name="robots" content="noindex">
                <title>%s</title>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg">
                <link rel="stylesheet" href="/form-page/form.css">
                </head><body>
                """.formatted(escape(title));
    }

    /** Text as HTML: the five characters that could end an element or an attribute, escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
