package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the platform's modules (node-api, engine, builtin, store, kb, server) depend on each other,
 * directly or around a loop: the packages' uses are read from the sources (imports and qualified names, comments
 * left out).
 */
class PackageCyclesTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern USE = Pattern.compile("\\b(dev\\.weft(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private static final List<String> MODULES = List.of("node-api", "engine", "builtin", "store", "kb", "server");

    @Test
    void no_package_of_the_platform_depends_on_itself_around_a_loop() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String module : MODULES) read(Path.of("..", module, "src/main/java"), uses);
        assertThat(uses).containsKeys("dev.weft.engine", "dev.weft.store", "dev.weft.server", "dev.weft.run",
                "dev.weft.http");
        assertThat(cycles(uses)).as("package cycles").isEmpty();
    }

    @Test
    void a_loop_of_three_packages_is_found() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of());
        assertThat(cycles(uses)).containsExactly(List.of("a", "b", "c"));
    }

    private static void read(Path sources, Map<String, Set<String>> uses) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                try {
                    String text = Files.readString(file);
                    Matcher pkg = PACKAGE.matcher(text);
                    if (!pkg.find()) return;
                    Set<String> mine = uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
                    Matcher use = USE.matcher(COMMENTS.matcher(text).replaceAll(""));
                    while (use.find()) {
                        if (!use.group(1).equals(pkg.group(1))) mine.add(use.group(1));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The groups of packages that reach each other (strongly connected, more than one), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> uses) {
        List<List<String>> found = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            if (seen.contains(start)) continue;
            Set<String> group = new TreeSet<>();
            for (String other : reach(uses, start)) {
                if (reach(uses, other).contains(start)) group.add(other);
            }
            group.add(start);
            seen.addAll(group);
            if (group.size() > 1) found.add(List.copyOf(group));
        }
        return found;
    }

    private static Set<String> reach(Map<String, Set<String>> uses, String from) {
        Set<String> reached = new TreeSet<>();
        List<String> todo = new ArrayList<>(uses.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (reached.add(next)) todo.addAll(uses.getOrDefault(next, Set.of()));
        }
        return reached;
    }
}
