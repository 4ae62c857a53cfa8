/**
 * What a node author needs to write a Weft node type: {@link dev.weft.node.NodeType}, its
 * {@link dev.weft.node.Catalogue} entry, the {@link dev.weft.node.Run} kinds, and the values a step gets and gives
 * ({@link dev.weft.node.NodeCall}, {@link dev.weft.node.NodeOutput}, {@link dev.weft.node.NodeException}).
 * Depends on Jackson only, so built-in nodes and plugin jars compile against the same small API.
 */
package dev.weft.node;
