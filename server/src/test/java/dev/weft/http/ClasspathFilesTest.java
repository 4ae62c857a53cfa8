package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClasspathFilesTest {

    @Test
    void only_relative_paths_of_named_files_are_served() {
        assertThat(ClasspathFiles.safe("index-abc.js")).isTrue();
        assertThat(ClasspathFiles.safe("fonts/a.woff2")).isTrue();
        for (String bad : new String[] {"", "/etc/passwd.txt", "../weft.db", "a/../../b.js", "a//b.js", "./a.js",
                "a\\b.js", "assets", "a/", "a\u0000.js", ".hidden"}) {
            assertThat(ClasspathFiles.safe(bad)).as(bad).isFalse();
        }
    }
}
