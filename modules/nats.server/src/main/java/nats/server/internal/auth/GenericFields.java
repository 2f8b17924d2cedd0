package nats.server.internal.auth;

import java.util.List;

/**
 * The claim's kind, tags and format version (Go's {@code jwt.GenericFields}). Version 2 tokens carry them in
 * the {@code nats} object; version 1 tokens carried type and tags at the top level and get version 1.
 */
public record GenericFields(String type, List<String> tags, long version) {
}
