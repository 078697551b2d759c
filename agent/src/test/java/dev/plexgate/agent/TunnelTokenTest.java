package dev.plexgate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.agent.testing.FakeBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TunnelTokenTest {

    private static final UUID TUNNEL = UUID.fromString("6ff42ae2-765d-4adf-8112-31c55c1551ef");
    private static final String TOKEN = FakeBinary.token(TUNNEL);

    @TempDir
    private Path dir;

    @Test
    void parse_wellFormed_namesTheTunnel_andToStringHidesTheValue() throws Exception {
        TunnelToken token = TunnelToken.parse(TOKEN + "\n");

        assertThat(token.tunnelId()).isEqualTo(TUNNEL);
        assertThat(token.secret()).isEqualTo(TOKEN);
        assertThat(token.toString()).isEqualTo("TunnelToken[tunnel " + TUNNEL + ", value redacted]");
        assertThat(token).isEqualTo(TunnelToken.parse(TOKEN)).hasSameHashCodeAs(TunnelToken.parse(TOKEN));
    }

    @Test
    void parse_optionalEndpoint_isAccepted() throws Exception {
        String json = "{\"a\":\"abc\",\"t\":\"" + TUNNEL + "\",\"s\":\"c2VjcmV0\",\"e\":\"edge.example\"}";

        assertThat(TunnelToken.parse(base64(json)).tunnelId()).isEqualTo(TUNNEL);
    }

    @Test
    void parse_badShapes_sayWhatIsWrong_withoutQuotingTheToken() {
        String[][] cases = {
                {"", "is empty"},
                {"not base64!", "is not a tunnel token: not standard padded base64"},
                {TOKEN.replace("=", ""), "is not a tunnel token: not standard padded base64"},
                {TOKEN.replace('+', '-').replace('/', '_') + "-", "is not a tunnel token: not standard padded base64"},
                {base64("[1,2]"), "is not a tunnel token: its base64 does not hold a JSON object"},
                {base64("{\"t\":\"" + TUNNEL + "\",\"s\":\"c2VjcmV0\"}"), "is not a tunnel token: its JSON has no \"a\""},
                {base64("{\"a\":\"abc\",\"s\":\"c2VjcmV0\"}"), "is not a tunnel token: its JSON has no \"t\""},
                {base64("{\"a\":\"abc\",\"t\":\"" + TUNNEL + "\"}"), "is not a tunnel token: its JSON has no \"s\""},
                {base64("{\"a\":\"abc\",\"t\":\"tunnel\",\"s\":\"c2VjcmV0\"}"),
                        "is not a tunnel token: its \"t\" is not a tunnel UUID"},
                {base64("{\"a\":\"abc\",\"t\":\"" + TUNNEL + "\",\"s\":\"not base64!\"}"),
                        "is not a tunnel token: its \"s\" is not base64"},
        };
        for (String[] row : cases) {
            assertThatThrownBy(() -> TunnelToken.parse(row[0])).as(row[0])
                    .isInstanceOf(TunnelTokenException.class)
                    .hasMessage(row[1]);
        }
    }

    @Test
    void readFile_ownerOnly_isRead() throws Exception {
        Path file = tokenFile("rw-------");

        assertThat(TunnelToken.readFile(file).tunnelId()).isEqualTo(TUNNEL);
    }

    @Test
    void readFile_readableByGroupOrOthers_isRefusedSayingHowToFixIt() throws Exception {
        for (String mode : new String[] {"rw-r-----", "rw----r--", "r--r--r--"}) {
            Path file = tokenFile(mode);

            assertThatThrownBy(() -> TunnelToken.readFile(file)).as(mode)
                    .isInstanceOf(TunnelTokenException.class)
                    .hasMessage("is readable by group or others (" + mode + "); the token is a secret: chmod 600 "
                            + file)
                    .message().doesNotContain(TOKEN);
        }
    }

    @Test
    void readFile_missing_saysSo() {
        assertThatThrownBy(() -> TunnelToken.readFile(dir.resolve("absent")))
                .isInstanceOf(TunnelTokenException.class)
                .hasMessage("no such file");
    }

    @Test
    void readFile_notAToken_saysSoWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("tunnel.token"), "cloudflared tunnel run --token abc\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> TunnelToken.readFile(file))
                .hasMessage("is not a tunnel token: not standard padded base64");
    }

    private Path tokenFile(String mode) throws Exception {
        Path file = Files.writeString(dir.resolve("tunnel-" + mode.replace('-', '_') + ".token"), TOKEN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
