package dev.weft.builtin;

import dev.weft.node.Catalogue;
import dev.weft.registry.SettingsSchema;

/**
 * A built-in node type's catalogue entry ({@code catalogue/<type>.json} beside the classes) with its settings
 * schema compiled, for the checks of rendered settings that a run makes; the registry checks saved settings.
 */
record NodeCatalogue(Catalogue entry, SettingsSchema schema) {

    /** Loads and compiles the entry of {@code type}; a missing or broken entry is a bug in this module. */
    static NodeCatalogue load(String type) {
        Catalogue entry = Catalogue.read(NodeCatalogue.class, type);
        return new NodeCatalogue(entry, new SettingsSchema(entry.settingsSchema()));
    }
}
