package dev.weft.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What deploy/pom.xml says the image is (Jib's configuration): the one definition the recipes' tests compare
 * compose.yaml and the chart against, and ImageIT compares the built image against.
 */
record ImageDefinition(String name, String version, List<String> entrypoint, List<String> args, String user,
                       List<Integer> ports, List<String> volumes, Map<String, String> environment, String appRoot,
                       List<String> healthCheck) {

    static final Path MODULE = Path.of(System.getProperty("weft.deploy.dir", ".")).toAbsolutePath().normalize();

    /** The image as the module's pom defines it. */
    static ImageDefinition read() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        Element project = factory.newDocumentBuilder().parse(MODULE.resolve("pom.xml").toFile()).getDocumentElement();
        String version = text(child(child(project, "parent"), "version"));
        String name = text(child(child(project, "properties"), "image.name"));
        Element jib = null;
        for (Element plugin : descendants(project, "plugin")) {
            if ("jib-maven-plugin".equals(text(child(plugin, "artifactId")))) jib = plugin;
        }
        if (jib == null) throw new IllegalStateException("pom.xml has no jib-maven-plugin");
        Element container = child(child(jib, "configuration"), "container");
        Map<String, String> env = new LinkedHashMap<>();
        for (Element e : children(child(container, "environment"))) env.put(e.getTagName(), text(e));
        List<Integer> ports = new ArrayList<>();
        for (Element e : children(child(container, "ports"))) ports.add(Integer.parseInt(text(e)));
        String health = text(child(child(container, "labels"), "dev.weft.healthcheck"));
        return new ImageDefinition(name.replace("${project.version}", version), version,
                texts(child(container, "entrypoint")), texts(child(container, "args")), text(child(container, "user")),
                ports, texts(child(container, "volumes")), env, text(child(container, "appRoot")),
                List.of(health.split(" ")));
    }

    /** The uid the image runs as. */
    int uid() {
        return Integer.parseInt(user.split(":")[0]);
    }

    /** README's configuration table: every {@code WEFT_*} setting Weft reads (WeftConfigTest keeps it complete). */
    static List<String> documentedSettings() throws Exception {
        String readme = Files.readString(MODULE.resolve("../README.md"));
        int start = readme.indexOf("## Configuration");
        String table = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("`(WEFT_[A-Z_]+)").matcher(table);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static Element child(Element parent, String tag) {
        for (Element e : children(parent)) if (e.getTagName().equals(tag)) return e;
        throw new IllegalStateException("<" + parent.getTagName() + "> has no <" + tag + ">");
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) if (n instanceof Element e) out.add(e);
        return out;
    }

    private static List<Element> descendants(Element root, String tag) {
        List<Element> out = new ArrayList<>();
        var nodes = root.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    private static List<String> texts(Element parent) {
        return children(parent).stream().map(ImageDefinition::text).toList();
    }

    private static String text(Element e) {
        return e.getTextContent().trim();
    }
}
