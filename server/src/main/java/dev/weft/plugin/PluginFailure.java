package dev.weft.plugin;

/** A plugin jar, or one node type in it ({@code nodeType}, else null), that was skipped, and why. */
public record PluginFailure(String jar, String nodeType, String error) {}
