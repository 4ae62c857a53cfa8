package dev.weft.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorTypesTest {

    @Test
    void allListsEveryConstantOnce() throws Exception {
        List<String> constants = new ArrayList<>();
        for (Field field : ErrorTypes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        assertThat(constants).hasSizeGreaterThanOrEqualTo(9);
        assertThat(ErrorTypes.ALL).containsExactlyInAnyOrderElementsOf(constants).doesNotHaveDuplicates();
        assertThat(ErrorTypes.ALL).allMatch(type -> type.matches("[a-z_]+"), "lowercase words");
    }

    @Test
    void theApiDocumentListsEveryEngineErrorTypeAndNoOther() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "api.md"));
        int from = doc.indexOf("\n## Step error types\n");
        assertThat(from).as("docs/api.md has a section 'Step error types'").isPositive();
        int to = doc.indexOf("\n## ", from + 1);
        List<String> documented = new ArrayList<>();
        for (String line : doc.substring(from, to).split("\n")) {
            if (line.startsWith("| `") && !line.startsWith("| `type` |")) documented.add(line.substring(3, line.indexOf('`', 3)));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ErrorTypes.ALL);
    }
}
