package dev.weft.node;

import java.util.List;
import java.util.Optional;

/**
 * The parts of a node that its settings may change: what the flow validator and the planner ask of a node.
 *
 * @param ports           output ports; the first is the default one an edge's {@code from_field} refers to
 * @param fields          the fields the default port emits, when known from the settings alone: edges mapping
 *                        other fields are refused; empty: any field may be mapped (the data passes through)
 * @param needsEveryInput whether a step needs a value for each mapped input field to run (true), or runs when any
 *                        one arrived (false: the end node, a merge waiting for the first branch)
 */
public record Shape(List<String> ports, Optional<List<String>> fields, boolean needsEveryInput) {

    /**
     * Copies the lists.
     *
     * @param ports           output ports
     * @param fields          the fields the default port emits, when known
     * @param needsEveryInput whether every mapped input must arrive
     */
    public Shape {
        ports = List.copyOf(ports);
        fields = fields.map(List::copyOf);
    }

    /**
     * This shape with other ports.
     *
     * @param ports the ports
     * @return a new shape
     */
    public Shape withPorts(List<String> ports) {
        return new Shape(ports, fields, needsEveryInput);
    }

    /**
     * This shape with known output fields.
     *
     * @param fields the fields the default port emits
     * @return a new shape
     */
    public Shape withFields(List<String> fields) {
        return new Shape(ports, Optional.of(fields), needsEveryInput);
    }

    /**
     * This shape with another input rule.
     *
     * @param needsEveryInput whether every mapped input must arrive
     * @return a new shape
     */
    public Shape withNeedsEveryInput(boolean needsEveryInput) {
        return new Shape(ports, fields, needsEveryInput);
    }
}
