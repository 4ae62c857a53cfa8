package dev.weft.plugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.node.NodeType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars for tests the way a plugin author's build does: compiles sources against weft-node-api and
 * Jackson only (with the JDK's compiler, so {@code mvn test} needs no packaged jar), then jars the classes with
 * the resources.
 */
public final class PluginJars {

    /** The example plugin module of the repository, as the server module's tests see it. */
    public static final Path EXAMPLE = Path.of("..", "examples", "node-plugin", "src", "main");

    private PluginJars() {}

    /** Compiles a module laid out as Maven does ({@code java/}, {@code resources/}) into {@code jar}. */
    public static Path build(Path main, Path jar) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main.resolve("java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        Path classes = Files.createTempDirectory("plugin-classes");
        compile(sources, classes);
        Path resources = main.resolve("resources");
        if (Files.isDirectory(resources)) copy(resources, classes);
        return jar(classes, jar);
    }

    /** Builds a jar from sources given as text (path in the jar -> content) and resources. */
    public static Path build(Map<String, String> sources, Map<String, String> resources, Path jar) throws IOException {
        Path dir = Files.createTempDirectory("plugin-src");
        List<Path> files = new ArrayList<>();
        for (var source : sources.entrySet()) {
            Path file = dir.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file);
        }
        Path classes = Files.createTempDirectory("plugin-classes");
        compile(files, classes);
        for (var resource : resources.entrySet()) {
            Path file = classes.resolve(resource.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, resource.getValue());
        }
        return jar(classes, jar);
    }

    private static void compile(List<Path> sources, Path classes) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String classpath = String.join(java.io.File.pathSeparator, location(NodeType.class),
                location(ObjectMapper.class), location(JsonParser.class), location(JsonProperty.class));
        List<String> options = List.of("--release", "17", "-classpath", classpath, "-d", classes.toString());
        List<String> arguments = new ArrayList<>(options);
        sources.forEach(s -> arguments.add(s.toString()));
        StringWriter errors = new StringWriter();
        int status = compiler.run(null, null, new java.io.PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }), arguments.toArray(String[]::new));
        if (status != 0) throw new IllegalStateException("plugin sources do not compile: " + errors);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return jar;
    }
}
