package dev.plexgate.proxy.policy;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@code block} answers (RULES.md §8): a status from 400 to 499 (403 by default), and
 * either plexgate's small page naming the rule and the ray id ({@code content} null) or the
 * configured content, at most 2 KB, of one of Cloudflare's four content types.
 */
public record BlockResponse(int status, String content, String contentType) {

    public static final int MAX_CONTENT_BYTES = 2048;
    public static final Set<String> CONTENT_TYPES = Set.of("text/html", "text/plain", "application/json", "text/xml");
    public static final BlockResponse DEFAULT = new BlockResponse(403, null, null);

    public BlockResponse {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("status " + status + " (expected: 400 to 499)");
        }
        if (content != null) {
            if (content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
                throw new IllegalArgumentException("content of " + content.getBytes(StandardCharsets.UTF_8).length
                        + " bytes (expected: at most " + MAX_CONTENT_BYTES + ")");
            }
            Objects.requireNonNull(contentType, "content_type");
            if (!CONTENT_TYPES.contains(contentType)) {
                throw new IllegalArgumentException("content_type '" + contentType
                        + "' (expected: text/html, text/plain, application/json or text/xml)");
            }
        }
    }
}
