package dev.weft.hook;

import java.util.function.UnaryOperator;

/** What a signature check reads of a webhook request: its raw body and its headers (by name, any case). */
public record HookRequest(byte[] body, UnaryOperator<String> header) {}
