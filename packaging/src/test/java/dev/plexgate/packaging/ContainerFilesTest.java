package dev.plexgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Dockerfile and compose.yaml, read structurally: no container engine runs here, so these check
 * what can go wrong without one (a COPY of a missing file, an unpinned image, root, no health check).
 */
final class ContainerFilesTest {

    private static final Path REPOSITORY = Command.repository();
    private static final Pattern FROM = Pattern.compile("(?m)^FROM (\\S+)(?: AS (\\S+))?$");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY ((?:--\\S+ )*)(\\S+) (\\S+)$");

    /** The Dockerfile's instructions, continuation lines joined. */
    private static String dockerfile() throws IOException {
        return Files.readString(REPOSITORY.resolve("Dockerfile")).replace("\\\n", " ");
    }

    @Test
    void dockerfile_copiesFromTheContext_onlyFilesThatExist() throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher copy = COPY.matcher(dockerfile());
        while (copy.find()) {
            if (!copy.group(1).contains("--from=")) {
                sources.add(copy.group(2));
            }
        }

        assertThat(sources).contains("packaging/bin/plexgate", "conf/");
        assertThat(sources).allSatisfy(source -> assertThat(REPOSITORY.resolve(source)).exists());
    }

    @Test
    void dockerfile_stages_buildWithMavenRunOnAJreWithAPinnedCloudflared() throws IOException {
        String dockerfile = dockerfile();
        List<String> images = new ArrayList<>();
        Matcher from = FROM.matcher(dockerfile);
        while (from.find()) {
            images.add(from.group(1));
        }

        assertThat(images).containsExactly("cloudflare/cloudflared:${CLOUDFLARED_VERSION}",
                "maven:3-eclipse-temurin-17", "eclipse-temurin:17-jre-noble");
        assertThat(dockerfile).containsPattern("(?m)^ARG CLOUDFLARED_VERSION=\\d{4}\\.\\d+\\.\\d+$")
                .contains("COPY --from=cloudflared /usr/local/bin/cloudflared /usr/local/bin/cloudflared")
                // The path the build stage produces is control's finalName.
                .contains("COPY --from=build /src/control/target/plexgate.jar /usr/share/plexgate/plexgate.jar");
        assertThat(Files.readString(REPOSITORY.resolve("control/pom.xml"))).contains("<finalName>plexgate</finalName>");
    }

    @Test
    void dockerfile_runtime_nonRootHealthCheckedLauncher() throws IOException {
        String dockerfile = dockerfile();

        assertThat(dockerfile).containsPattern("(?m)^USER plexgate$")
                .containsPattern("(?m)^HEALTHCHECK .*CMD curl -fsS -o /dev/null http://127\\.0\\.0\\.1:9810/ready")
                .containsPattern("(?m)^ENTRYPOINT \\[\"/usr/bin/plexgate\"\\]$")
                .containsPattern("(?m)^CMD \\[\"run\", \"-c\", \"/etc/plexgate/plexgate.yml\"\\]$");
        // USER comes after every instruction that needs root.
        assertThat(dockerfile.lastIndexOf("\nRUN ")).isLessThan(dockerfile.indexOf("\nUSER plexgate"));
    }

    @Test
    void dockerignore_keepsBuildOutputOut() throws IOException {
        assertThat(Files.readAllLines(REPOSITORY.resolve(".dockerignore"))).contains("**/target", ".git");
    }

    @Test
    void compose_plexAndPlexgate_configMountedTokenFromTheEnvironment() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(REPOSITORY.resolve("compose.yaml").toFile());
        JsonNode services = compose.path("services");

        assertThat(services.path("plex").path("image").asText()).startsWith("plexinc/pms-docker:");
        JsonNode plexgate = services.path("plexgate");
        assertThat(plexgate.path("build").asText()).isEqualTo(".");
        assertThat(plexgate.path("volumes")).extracting(JsonNode::asText).contains("./conf:/etc/plexgate:ro");
        assertThat(plexgate.path("environment").path("TUNNEL_TOKEN").asText()).isEqualTo("${TUNNEL_TOKEN:-}");
        assertThat(plexgate.path("stop_grace_period").asText()).isEqualTo("90s");
        assertThat(plexgate.path("cap_drop")).extracting(JsonNode::asText).containsExactly("ALL");
        // Named volumes used by a service are declared.
        assertThat(compose.path("volumes").has("plexgate-state")).isTrue();
        assertThat(REPOSITORY.resolve("conf/plexgate.yml")).exists();
    }
}
