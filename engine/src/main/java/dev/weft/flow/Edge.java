package dev.weft.flow;

import java.util.List;

/** A connection from one node to another, carrying the fields it maps. */
public record Edge(String fromNode, String toNode, List<FieldMapping> mappings) {

    public Edge {
        mappings = List.copyOf(mappings);
    }
}
