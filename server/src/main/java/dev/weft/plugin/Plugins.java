package dev.weft.plugin;

import dev.weft.node.NodeType;
import dev.weft.registry.RegisteredType;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node types of the plugin jars in a data folder's {@code plugins/}: each jar in a class loader of its own
 * (parent: the application's), its types found by {@link ServiceLoader}. A jar that cannot be used (not a zip, a
 * provider that throws, no catalogue entry, an id already taken) is logged, reported and skipped: a plugin never
 * stops the server.
 */
public final class Plugins implements AutoCloseable {

    /** The folder under the data folder that holds plugin jars. */
    public static final String FOLDER = "plugins";
    /** More providers than this in one jar is a broken services file, not a plugin. */
    private static final int PROVIDERS_MAX = 1_000;

    private static final Logger log = LoggerFactory.getLogger(Plugins.class);

    private final Path folder;
    private final List<Plugin> loaded = new CopyOnWriteArrayList<>();
    private final List<PluginFailure> failures = new CopyOnWriteArrayList<>();
    private final List<RegisteredType> types = new CopyOnWriteArrayList<>();
    private final List<URLClassLoader> loaders = new CopyOnWriteArrayList<>();

    private Plugins(Path folder) {
        this.folder = folder;
    }

    /** Loads every {@code *.jar} in {@code folder}, in name order; a missing folder holds no plugins. */
    public static Plugins load(Path folder) {
        Plugins plugins = new Plugins(folder);
        if (!Files.isDirectory(folder)) return plugins;
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            plugins.fail(folder.getFileName().toString(), null, "cannot list the plugins folder: " + e.getMessage());
            return plugins;
        }
        for (Path jar : jars) plugins.loadJar(jar);
        return plugins;
    }

    private void loadJar(Path jar) {
        String name = jar.getFileName().toString();
        try (JarFile zip = new JarFile(jar.toFile())) {
            zip.size();   // opening reads the central directory: a file that is not a zip fails here
        } catch (IOException e) {
            fail(name, null, "not a jar (zip) file: " + e.getMessage());
            return;
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("plugin:" + name, new URL[] {jar.toUri().toURL()}, Plugins.class.getClassLoader());
        } catch (IOException e) {
            fail(name, null, "cannot open: " + e.getMessage());
            return;
        }
        List<RegisteredType> found = new ArrayList<>();
        int failed = 0;
        Iterator<NodeType> providers = ServiceLoader.load(NodeType.class, loader).iterator();
        for (int i = 0; i < PROVIDERS_MAX; i++) {
            NodeType type;
            try {
                if (!providers.hasNext()) break;
                type = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                fail(name, null, "a node type provider failed: " + message(e));
                failed++;
                continue;
            }
            if (type.getClass().getClassLoader() != loader) continue;   // a provider of the application, not this jar's
            try {
                found.add(RegisteredType.of(type, name));
            } catch (RuntimeException | LinkageError e) {
                fail(name, type.getClass().getName(), "unusable node type: " + message(e));
                failed++;
            }
        }
        if (found.isEmpty()) {
            if (failed == 0) fail(name, null, "no node types: META-INF/services/" + NodeType.class.getName() + " lists none");
            close(loader);
            return;
        }
        loaders.add(loader);
        types.addAll(found);
        loaded.add(new Plugin(name, found.stream().map(RegisteredType::id).toList()));
        log.info("plugin {} adds node types {}", name, found.stream().map(RegisteredType::id).toList());
    }

    /** The node types offered to the registry. */
    public List<RegisteredType> types() {
        return List.copyOf(types);
    }

    /** Called by the registry for a type whose id is taken: reported as a failure, and not listed as loaded. */
    public void refuse(RegisteredType type, String reason) {
        fail(type.origin(), type.id(), reason);
        types.remove(type);
        for (Plugin plugin : loaded) {
            if (plugin.jar().equals(type.origin())) {
                loaded.remove(plugin);
                List<String> rest = plugin.nodeTypes().stream().filter(id -> !id.equals(type.id())).toList();
                if (!rest.isEmpty()) loaded.add(new Plugin(plugin.jar(), rest));
            }
        }
    }

    public Path folder() {
        return folder;
    }

    /** The jars that added node types, with their ids. */
    public List<Plugin> loaded() {
        return List.copyOf(loaded);
    }

    /** What was skipped, and why. */
    public List<PluginFailure> failures() {
        return List.copyOf(failures);
    }

    private void fail(String jar, String nodeType, String error) {
        log.warn("plugin {} skipped{}: {}", jar, nodeType == null ? "" : " (" + nodeType + ")", error);
        failures.add(new PluginFailure(jar, nodeType, error));
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("closing a plugin's class loader failed", e);
        }
    }

    /** Closes the plugins' class loaders, once nothing runs their nodes any more. */
    @Override
    public void close() {
        loaders.forEach(Plugins::close);
    }
}
