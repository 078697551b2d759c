package dev.plexgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/grafana-dashboard.json: importable, and every panel asks Prometheus something. */
final class GrafanaDashboardTest {

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Command.repository().resolve("docs/grafana-dashboard.json").toFile());
    }

    @Test
    void dashboard_parsed_grafanaDashboardOfTheCurrentSchema() throws IOException {
        JsonNode dashboard = dashboard();

        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("uid").asText()).isEqualTo("plexgate");
        assertThat(dashboard.path("templating").path("list")).extracting(variable -> variable.path("name").asText())
                .contains("datasource");
    }

    @Test
    void dashboard_everyPanel_hasAPrometheusQuery() throws IOException {
        List<JsonNode> panels = new ArrayList<>();
        dashboard().path("panels").forEach(panels::add);

        assertThat(panels).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.path("datasource").path("type").asText()).as(panel.path("title").asText())
                    .isEqualTo("prometheus");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                    .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank());
        });
        assertThat(panels).extracting(panel -> panel.path("id").asInt()).doesNotHaveDuplicates();
    }

    @Test
    void dashboard_queries_coverEveryPlexgateMeterTheIssueNames() throws IOException {
        List<String> expressions = new ArrayList<>();
        dashboard().path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        String all = String.join("\n", expressions);

        assertThat(all).contains("sum by (action) (rate(plexgate_requests_total{",
                "sum by (rule) (rate(plexgate_requests_total{action=\"block\"",
                "plexgate_client_sent_bytes_total", "plexgate_http_server_requests_seconds_bucket",
                "plexgate_upstream_up", "plexgate_tunnel_up", "plexgate_tunnel_ready_connections",
                "plexgate_tunnel_restarts_total", "plexgate_config_reloads_total",
                "plexgate_tls_certificate_expiry_timestamp_seconds", "plexgate_tls_handshake_failures_total");
    }
}
