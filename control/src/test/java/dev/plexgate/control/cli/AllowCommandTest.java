package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plexgate.proxy.policy.lists.HostResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plexgate allow} on files in a temporary directory, reloading through a stand-in admin
 * listener on loopback that plexgate.yml's admin.listen names; host names resolve through a fake, never DNS.
 */
final class AllowCommandTest {

    private static final String NL = System.lineSeparator();
    private static final String NOT_RUNNING = "; plexgate is not running, the change applies at its next start" + NL;

    @TempDir
    Path dir;

    private Path config;
    private Path allowList;
    private HttpServer admin;
    private int reloadStatus = 200;
    private String reloadAnswer = "reloaded";
    private final List<String> reloadRequests = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private final Map<String, List<InetAddress>> dns = Map.of(
            "carol.dyndns.example.net", List.of(address("carol.dyndns.example.net", 198, 51, 100, 4)));
    private final HostResolver fakeResolver = hostName -> {
        List<InetAddress> addresses = dns.get(hostName);
        if (addresses == null) {
            throw new UnknownHostException(hostName);
        }
        return addresses;
    };

    @BeforeEach
    void configure() throws IOException {
        allowList = dir.resolve("allow.list");
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        admin.createContext("/reload", exchange -> {
            reloadRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            respond(exchange, reloadStatus, reloadAnswer);
        });
        admin.start();
        config = Files.writeString(dir.resolve("plexgate.yml"), "lists:\n  friends: allow.list\n" + adminSection());
    }

    @AfterEach
    void stopAdmin() {
        admin.stop(0);
    }

    @Test
    void add_addressWithNameAndComment_appendsTheLineAndReloads() throws IOException {
        Files.writeString(allowList, "# friends\n203.0.113.7  bob\n");

        assertThat(allow("add", "198.51.100.9", "alice", "--comment", "her home")).isZero();

        assertThat(allowList).hasContent("# friends\n203.0.113.7  bob\n198.51.100.9  alice  # her home");
        assertThat(out).hasToString("added 198.51.100.9  alice  # her home to " + allowList + " at line 3; reloaded" + NL);
        assertThat(err.toString()).isEmpty();
        assertThat(reloadRequests).containsExactly("POST /reload");
    }

    @Test
    void add_cidrWithoutName_whenNotRunning_saysWhenItApplies() throws IOException {
        Files.writeString(allowList, "");

        Files.writeString(config, "lists:\n  friends: allow.list\nadmin:\n  listen: 127.0.0.1:" + closedPort() + "\n");

        assertThat(allow("add", "2001:db8:42::/48")).isZero();

        assertThat(allowList).hasContent("2001:db8:42::/48");
        assertThat(out).hasToString("added 2001:db8:42::/48 to " + allowList + " at line 1" + NOT_RUNNING);
    }

    @Test
    void add_hostName() throws IOException {
        Files.writeString(allowList, "203.0.113.7\n");

        assertThat(allow("add", "carol.dyndns.example.net", "carol")).isZero();

        assertThat(allowList).hasContent("203.0.113.7\ncarol.dyndns.example.net  carol");
    }

    @Test
    void add_keepsEveryOtherByte_crlfAndNoFinalNewline() throws IOException {
        String original = "# friends\r\n\r\n  203.0.113.7\tbob   # tabs and spaces stay\r\n#end";
        Files.writeString(allowList, original);

        assertThat(allow("add", "198.51.100.0/24", "office")).isZero();

        assertThat(Files.readString(allowList)).isEqualTo(original + "\r\n198.51.100.0/24  office");
    }

    @Test
    void add_replacesTheFileByRename_keepingItsPermissions() throws IOException {
        Files.writeString(allowList, "203.0.113.7\n");
        Files.setPosixFilePermissions(allowList, PosixFilePermissions.fromString("rw-r-----"));
        Object inode = Files.getAttribute(allowList, "unix:ino");

        assertThat(allow("add", "198.51.100.9")).isZero();

        assertThat(Files.getAttribute(allowList, "unix:ino")).isNotEqualTo(inode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(allowList))).isEqualTo("rw-r-----");
    }

    @Test
    void add_duplicate_refusedNamingTheLine() throws IOException {
        String original = "# friends\n203.0.113.7  bob  # home\nCarol.DynDNS.example.net.\n";
        Files.writeString(allowList, original);

        assertThat(allow("add", "203.0.113.7/32", "robert")).isEqualTo(1);
        assertThat(err).hasToString("203.0.113.7/32 is already in " + allowList + " at line 2: 203.0.113.7  bob  # home"
                + NL);
        assertThat(allow("add", "carol.dyndns.example.net")).isEqualTo(1);
        assertThat(err.toString()).contains("at line 3: Carol.DynDNS.example.net.");

        assertThat(Files.readString(allowList)).isEqualTo(original);
        assertThat(reloadRequests).isEmpty();
    }

    @Test
    void add_hostBitsSet_refusedWithTheParsersMessage() throws IOException {
        Files.writeString(allowList, "");

        assertThat(allow("add", "198.51.100.7/24")).isEqualTo(2);

        assertThat(err).hasToString("invalid entry: host bits are set in 198.51.100.7/24 (expected: 198.51.100.0/24)"
                + NL);
        assertThat(allowList).isEmptyFile();
    }

    @Test
    void add_invalidName_refusedWithTheParsersMessage() throws IOException {
        Files.writeString(allowList, "");

        assertThat(allow("add", "203.0.113.7", "_bob")).isEqualTo(2);

        assertThat(err.toString()).startsWith("invalid entry: invalid name '_bob' (expected: up to 64 letters");
    }

    @Test
    void add_entryThatWouldReadAsAnotherLine_refused() throws IOException {
        Files.writeString(allowList, "");

        assertThat(allow("add", "203.0.113.7#x")).isEqualTo(2);
        assertThat(allow("add", "203.0.113.7", "bob", "--comment", "two\nlines")).isEqualTo(2);

        assertThat(err.toString()).contains("invalid entry '203.0.113.7#x': no spaces or '#' allowed")
                .contains("invalid comment: it must fit on one line");
        assertThat(allowList).isEmptyFile();
    }

    @Test
    void add_toAListFileThatIsAlreadyInvalid_refused() throws IOException {
        Files.writeString(allowList, "203.0.113.7 bob extra\n");

        assertThat(allow("add", "198.51.100.9")).isEqualTo(2);

        assertThat(err.toString()).startsWith(allowList + ":1:17: unexpected 'extra'")
                .contains("is invalid as it is; fix it first");
    }

    @Test
    void add_reloadRejected_printsTheServicesMessage_exitsOne() throws IOException {
        Files.writeString(allowList, "");
        reloadStatus = 409;
        reloadAnswer = "plexgate.yml:3:5: rules: unknown key\n";

        assertThat(allow("add", "203.0.113.7")).isEqualTo(1);

        assertThat(out).hasToString("added 203.0.113.7 to " + allowList + " at line 1" + NL);
        assertThat(err).hasToString("the reload failed: plexgate.yml:3:5: rules: unknown key" + NL
                + "plexgate keeps running with its previous configuration" + NL);
    }

    @Test
    void add_severalIpLists_needsListOption() throws IOException {
        Files.writeString(config, "lists:\n  family: family.list\n  team: team.list\n  bots: {file: bots.list, kind: bots}\n"
                + adminSection());
        Path team = Files.writeString(dir.resolve("team.list"), "");

        assertThat(allow("add", "203.0.113.7")).isEqualTo(2);
        assertThat(err).hasToString(config + " defines several IP lists: family, team (expected: --list NAME)" + NL);
        assertThat(allow("add", "203.0.113.7", "--list", "bots")).isEqualTo(2);
        assertThat(err.toString()).contains("no IP list named 'bots' in " + config + " (IP lists: family, team)");

        assertThat(allow("add", "203.0.113.7", "--list", "team")).isZero();
        assertThat(team).hasContent("203.0.113.7");
    }

    @Test
    void remove_byEntry_inAnySpelling() throws IOException {
        Files.writeString(allowList, "# friends\r\n203.0.113.7  bob\r\n198.51.100.0/24  office\r\n");

        assertThat(allow("remove", "203.0.113.7/32")).isZero();

        assertThat(Files.readString(allowList)).isEqualTo("# friends\r\n198.51.100.0/24  office\r\n");
        assertThat(out).hasToString("removed line 2: 203.0.113.7  bob" + NL
                + "removed 1 entry from " + allowList + "; reloaded" + NL);
        assertThat(reloadRequests).containsExactly("POST /reload");
    }

    @Test
    void remove_byName_removesEveryLineOfIt() throws IOException {
        Files.writeString(allowList, "203.0.113.7  bob  # home\n# between\nbob.dyndns.example.net  bob\n198.51.100.9 alice");

        assertThat(allow("remove", "bob")).isZero();

        assertThat(Files.readString(allowList)).isEqualTo("# between\n198.51.100.9 alice");
        assertThat(out).hasToString("removed line 1: 203.0.113.7  bob  # home" + NL
                + "removed line 3: bob.dyndns.example.net  bob" + NL
                + "removed 2 entries from " + allowList + "; reloaded" + NL);
    }

    @Test
    void remove_nothingMatches_exitsOne() throws IOException {
        Files.writeString(allowList, "203.0.113.7  bob\n");

        assertThat(allow("remove", "carol")).isEqualTo(1);

        assertThat(err).hasToString("nothing to remove: no entry or name 'carol' in " + allowList + NL);
        assertThat(allowList).hasContent("203.0.113.7  bob");
        assertThat(reloadRequests).isEmpty();
    }

    @Test
    void list_showsLinesNamesCommentsAndResolvedAddresses() throws IOException {
        Files.writeString(allowList, "# friends\n203.0.113.7  bob  # his home\n\ncarol.dyndns.example.net carol\n"
                + "gone.example.net\n2001:db8::/32\n");

        assertThat(allow("list")).isZero();

        assertThat(out).hasToString(""
                + "LINE  ENTRY                     NAME   ADDRESSES           COMMENT" + NL
                + "2     203.0.113.7               bob                        his home" + NL
                + "4     carol.dyndns.example.net  carol  198.51.100.4" + NL
                + "5     gone.example.net          -      (does not resolve)" + NL
                + "6     2001:db8::/32             -" + NL);
    }

    @Test
    void list_withARunningService_showsTheBytesSentToEachName() throws IOException {
        serve("/metrics", "# TYPE plexgate_client_sent_bytes_total counter\n"
                + "plexgate_client_sent_bytes_total{client=\"bob\"} 1572864.0\n"
                + "plexgate_client_sent_bytes_total{client=\"unknown\"} 99.0\n");
        Files.writeString(allowList, "203.0.113.7  bob\n198.51.100.0/24  office\n2001:db8::/32\n");

        assertThat(allow("list")).isZero();

        assertThat(out.toString().split(NL)).satisfiesExactly(
                header -> assertThat(header).matches("LINE +ENTRY +NAME +SENT +ADDRESSES +COMMENT"),
                bob -> assertThat(bob).matches("1 +203\\.0\\.113\\.7 +bob +1\\.6 MB"),
                office -> assertThat(office).matches("2 +198\\.51\\.100\\.0/24 +office +0 B"),
                unnamed -> assertThat(unnamed).matches("3 +2001:db8::/32 +- +-"));
    }

    @Test
    void list_json() throws IOException {
        Files.writeString(allowList, "203.0.113.7  bob  # his home\ncarol.dyndns.example.net carol\n");

        assertThat(allow("list", "--json")).isZero();

        assertThat(out.toString().replaceAll("\\s+", "")).isEqualTo(("{'list':'friends','file':'" + allowList + "',"
                + "'entries':[{'line':1,'entry':'203.0.113.7','name':'bob','comment':'hishome'},"
                + "{'line':2,'entry':'carol.dyndns.example.net','name':'carol','comment':null,"
                + "'addresses':['198.51.100.4']}]}").replace('\'', '"'));
    }

    @Test
    void list_empty_saysSo() throws IOException {
        Files.writeString(allowList, "# nobody yet\n");

        assertThat(allow("list")).isZero();

        assertThat(out).hasToString(allowList + " has no entries: every request through the tunnel is blocked" + NL);
    }

    @Test
    void bare_listsTheSubcommands_exitsTwo() {
        assertThat(plexgate("allow")).isEqualTo(2);

        assertThat(err.toString()).startsWith("Missing command (expected: add, remove or list)")
                .containsPattern("add +Allow an address, a network or a host name\\.")
                .containsPattern("remove +Remove an entry, or every entry of a name\\.")
                .containsPattern("list +Show the entries");
    }

    /** Has the stand-in admin listener answer GET {@code path} with {@code body}. */
    private void serve(String path, String body) {
        admin.createContext(path, exchange -> respond(exchange, 200, body));
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
        }
    }

    /** {@code plexgate allow ARGS -c plexgate.yml}. */
    private int allow(String... args) {
        List<String> line = new ArrayList<>(List.of("allow"));
        line.addAll(List.of(args));
        line.addAll(List.of("-c", config.toString()));
        return plexgate(line.toArray(String[]::new));
    }

    /** Points plexgate.yml's admin listener at the stand-in. */
    private String adminSection() {
        return "admin:\n  listen: 127.0.0.1:" + admin.getAddress().getPort() + "\n";
    }

    private int plexgate(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == AllowCommand.ListEntries.class
                        ? type.cast(new AllowCommand.ListEntries(fakeResolver, Duration.ofSeconds(2)))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new PlexgateCommand(), factory)
                .setExecutionExceptionHandler(new Failures());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** A loopback port nothing listens on: just released by a socket that had it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static InetAddress address(String hostName, int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(hostName, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
