package dev.plexgate.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake falls into cloudflared's traps as the real one does (DESIGN §6), so the agent's tests mean something. */
final class FakeCloudflaredTest {

    private static final String TOKEN = FakeBinary.token(UUID.randomUUID());

    @TempDir
    private Path dir;

    @Test
    void optionsAfterRun_incorrectUsage_exitZero() throws Exception {
        Result result = run(TOKEN, "tunnel", "--no-autoupdate", "run", "--metrics", "127.0.0.1:1");

        assertThat(result.code()).isZero();
        assertThat(result.stderr()).startsWith("Incorrect Usage: ");
    }

    @Test
    void gracePeriodWithoutUnit_exitZeroWithoutAWord() throws Exception {
        Result result = run(TOKEN, "tunnel", "--metrics", "127.0.0.1:1", "--grace-period", "30", "run");

        assertThat(result.code()).isZero();
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void malformedToken_refused_exit255() throws Exception {
        Result result = run("bm90IGEgdG9rZW4=", "tunnel", "--metrics", "127.0.0.1:1", "run");

        assertThat(result.code()).isEqualTo(255);
        assertThat(result.stderr()).isEqualTo("Provided Tunnel token is not valid.\n");
    }

    private record Result(int code, String stderr) {
    }

    private Result run(String token, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FakeBinary.install(dir).executable().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("TUNNEL_TOKEN", token);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), stderr);
    }
}
