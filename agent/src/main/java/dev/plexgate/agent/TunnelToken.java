package dev.plexgate.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A tunnel token as the dashboard shows it: standard padded base64 of JSON {@code {"a": account
 * tag, "t": tunnel UUID, "s": base64 secret}}, optionally with {@code "e"} (DESIGN §6). The shape
 * is checked here because cloudflared checks nothing more locally: it exits 255 on a bad shape, and
 * retries forever on a wrong secret.
 *
 * <p>The value is a secret. It leaves this object only as the child's {@code TUNNEL_TOKEN}; {@link
 * #toString()} names the tunnel and nothing else, and no message of this class quotes it. The
 * tunnel's UUID is not secret: it is in the dashboard's URLs and in cloudflared's own logs.
 */
public final class TunnelToken {

    private static final Pattern STANDARD_BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_READ =
            Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private final String value;
    private final UUID tunnelId;

    private TunnelToken(String value, UUID tunnelId) {
        this.value = value;
        this.tunnelId = tunnelId;
    }

    /**
     * Checks the shape of {@code text} (surrounding white space ignored, as a file ends with a
     * newline).
     *
     * @throws TunnelTokenException saying what is wrong, without quoting any of it
     */
    public static TunnelToken parse(String text) throws TunnelTokenException {
        String token = text.strip();
        if (token.isEmpty()) {
            throw new TunnelTokenException("is empty");
        }
        if (!STANDARD_BASE64.matcher(token).matches() || token.length() % 4 != 0) {
            throw new TunnelTokenException("is not a tunnel token: not standard padded base64");
        }
        Map<String, String> payload;
        try {
            payload = FlatJson.parse(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new TunnelTokenException("is not a tunnel token: its base64 does not hold a JSON object");
        }
        for (String member : new String[] {"a", "t", "s"}) {
            if (payload.getOrDefault(member, "").isEmpty()) {
                throw new TunnelTokenException("is not a tunnel token: its JSON has no \"" + member + "\"");
            }
        }
        UUID tunnelId;
        try {
            tunnelId = UUID.fromString(payload.get("t"));
            if (!tunnelId.toString().equalsIgnoreCase(payload.get("t"))) {
                throw new IllegalArgumentException("not canonical");
            }
        } catch (IllegalArgumentException e) {
            throw new TunnelTokenException("is not a tunnel token: its \"t\" is not a tunnel UUID");
        }
        try {
            Base64.getDecoder().decode(payload.get("s"));
        } catch (IllegalArgumentException e) {
            throw new TunnelTokenException("is not a tunnel token: its \"s\" is not base64");
        }
        return new TunnelToken(token, tunnelId);
    }

    /**
     * Reads the token from {@code file}, which only its owner may read: any local user who can read
     * it can run the tunnel.
     *
     * @throws TunnelTokenException when the file cannot be read, is readable by group or others, or
     *                              does not hold a token
     */
    public static TunnelToken readFile(Path file) throws TunnelTokenException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(GROUP_OR_OTHERS_READ::contains)) {
                throw new TunnelTokenException("is readable by group or others (" + PosixFilePermissions.toString(
                        permissions) + "); the token is a secret: chmod 600 " + file);
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new TunnelTokenException("no such file");
        } catch (AccessDeniedException e) {
            throw new TunnelTokenException("permission denied");
        } catch (UnsupportedOperationException e) {
            throw new TunnelTokenException("has no POSIX permissions to check");
        } catch (IOException e) {
            throw new TunnelTokenException("cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** The tunnel this token runs; not secret. */
    public UUID tunnelId() {
        return tunnelId;
    }

    /** The value for the child's environment, and nowhere else. */
    String secret() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TunnelToken token && value.equals(token.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "TunnelToken[tunnel " + tunnelId + ", value redacted]";
    }
}
