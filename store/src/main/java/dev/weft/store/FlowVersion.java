package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An immutable published version of a flow. */
public record FlowVersion(long flowId, int version, JsonNode document, Instant createdAt) {}
