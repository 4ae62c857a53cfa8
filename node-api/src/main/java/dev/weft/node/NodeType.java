package dev.weft.node;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A kind of node (its {@code type} in a flow document): an id, a catalogue entry, and how one step runs.
 *
 * <p>Writing a node type is one small class: {@link #id()}, {@link #run()}, and a catalogue entry in
 * {@code catalogue/<id>.json} beside the class (see {@link Catalogue}). The registry checks a node's settings
 * against the entry's JSON Schema when a flow is saved, so {@link #check} only adds what a schema cannot say, and
 * checks them again once rendered, before each step, so {@link #run()} reads them without checking.
 * A plugin jar lists its types in {@code META-INF/services/dev.weft.node.NodeType}; each needs a public no-argument
 * constructor.
 */
public interface NodeType {

    /** The port every processing node emits on when it succeeds. */
    String SUCCESS = "success";
    /** The port a node emits on when it fails and its {@code on_error} policy is {@code continue}. */
    String ERROR = "error";

    /**
     * Short stable lowercase id, as written in flow documents: {@code template}, {@code http}.
     *
     * @return the id
     */
    String id();

    /**
     * How a step of this type runs: {@link Run.Pure}, {@link Run.Blocking} or {@link Run.Async}.
     *
     * @return the run
     */
    Run run();

    /**
     * The type's catalogue entry; the default reads {@code catalogue/<id>.json} next to the class, with the
     * class's own loader. The registry asks once, when the type is registered.
     *
     * @return the catalogue entry
     */
    default Catalogue catalogue() {
        return Catalogue.read(getClass(), id());
    }

    /**
     * What depends on a node's settings: its ports, the fields it emits, whether it waits for every input.
     * The default is the catalogue's static {@link Catalogue#shape()}; a {@code switch} has a port per case.
     *
     * @param settings the node's settings as saved (they may hold {@code {{ }}} placeholders)
     * @param catalogue this type's catalogue entry, as {@link #catalogue()} gave it
     * @return the shape of a node with these settings
     */
    default Shape shape(ObjectNode settings, Catalogue catalogue) {
        return catalogue.shape();
    }

    /**
     * Adds the problems a JSON Schema cannot express (a port named twice, an expression that does not parse),
     * with paths relative to the settings object. Called after the schema check, when a flow is saved.
     *
     * @param settings the node's settings as saved
     * @param problems where to add what is wrong
     */
    default void check(ObjectNode settings, Problems problems) {}
}
