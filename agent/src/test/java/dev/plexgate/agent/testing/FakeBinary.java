package dev.plexgate.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;

/**
 * A {@code cloudflared} executable in a test's directory: a shell script that execs {@link
 * FakeCloudflared} in a JVM on this test's class path, so the supervisor starts it exactly as it
 * starts the real binary, and the process id it sees is the fake's own. The script also names the
 * control file the fake follows.
 */
public final class FakeBinary {

    private final Path executable;
    private final Path control;

    private FakeBinary(Path executable, Path control) {
        this.executable = executable;
        this.control = control;
    }

    /** Writes {@code dir/cloudflared} (mode 0755) and names {@code dir/control} as its control file. */
    public static FakeBinary install(Path dir) throws IOException {
        Path control = dir.resolve("control");
        Path executable = dir.resolve("cloudflared");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(executable, "#!/bin/sh\n"
                + "export " + FakeCloudflared.CONTROL_ENV + "=" + quoted(control.toString()) + "\n"
                // A small, quickly started JVM: many tests start several.
                + "exec " + quoted(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx32m -Xss512k"
                + " -cp " + quoted(System.getProperty("java.class.path")) + " "
                + FakeCloudflared.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FakeBinary(executable, control);
    }

    public Path executable() {
        return executable;
    }

    /** Appends commands to the control file; every running fake picks them up within milliseconds. */
    public void tell(String... commands) throws IOException {
        Files.writeString(control, String.join("\n", commands) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A well-formed token for tunnel {@code tunnelId}, as the dashboard would show it. */
    public static String token(UUID tunnelId) {
        String secret = Base64.getEncoder().encodeToString("thirty-two bytes of tunnel secret".getBytes(
                StandardCharsets.UTF_8));
        String json = "{\"a\":\"0123456789abcdef0123456789abcdef\",\"t\":\"" + tunnelId + "\",\"s\":\"" + secret + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
