package dev.plexgate.control.config;

import dev.plexgate.proxy.policy.HostNames;
import dev.plexgate.proxy.tls.PemFiles;
import dev.plexgate.proxy.tls.ServerIdentity;
import dev.plexgate.proxy.tls.ServerTlsFiles;
import dev.plexgate.proxy.tls.TlsFileException;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.tls.UpstreamTls;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Binds {@code listen_tls} and {@code upstream_tls}. Certificate, key and CA files are read and
 * checked now, so a broken or expired file fails {@code check} and a reload exactly like a bad
 * value, located at the key that names it; the running service then keeps its certificate.
 */
final class TlsSections {

    static final List<String> LISTEN_KEYS = List.of("address", "cert", "key", "key_password_file", "client_ca");
    static final List<String> UPSTREAM_KEYS = List.of("ca", "server_name", "insecure_skip_verify");

    private TlsSections() {
    }

    /** The TLS listener, or null when the section is absent or empty. */
    static TlsListener listenTls(Section section, Path directory, Instant now) {
        if (section.node() == null || section.node() instanceof YamlNode.Scalar) {
            return null;
        }
        InetSocketAddress address = section.required("address", "host:port, such as 192.168.1.10:32443",
                Values::listenAddress);
        Path certificate = section.required("cert", "the PEM certificate chain, such as tls/server.pem",
                Values.file(directory, "a PEM file, such as tls/server.pem"));
        Path key = section.required("key", "its PEM private key, such as tls/server.key",
                Values.file(directory, "a PEM file, such as tls/server.key"));
        Path password = section.value("key_password_file", null,
                Values.file(directory, "a file holding the key's password on its first line"));
        Path clientCa = section.value("client_ca", null,
                Values.file(directory, "a PEM file of the CAs whose client certificates are accepted"));
        if (address == null || certificate == null || key == null) {
            return null;
        }
        ServerTlsFiles files = new ServerTlsFiles(certificate, key, password, clientCa);
        ServerIdentity identity;
        try {
            identity = ServerIdentity.load(files, now);
        } catch (TlsFileException e) {
            section.reject(keyNaming(e.file(), files), e.getMessage());
            return null;
        }
        if (identity.expiresSoon(now)) {
            long days = Duration.between(now, identity.notAfter()).toDays();
            section.warn("cert", certificate + ": the certificate expires on " + identity.notAfter() + ", in " + days
                    + (days == 1 ? " day" : " days") + " (renew it: `plexgate tls renew` for one it made, or "
                    + "replace the files; plexgate reloads them by itself)");
        }
        return new TlsListener(address, identity);
    }

    /** {@code upstream} with its TLS settings from the section; an error when they would be ignored. */
    static UpstreamAddress upstream(Section section, Path directory, UpstreamAddress upstream) {
        boolean set = section.node() != null && !(section.node() instanceof YamlNode.Scalar);
        if (!set) {
            return upstream;
        }
        Path caFile = section.value("ca", null, Values.file(directory, "a PEM file of the CAs that issue Plex's "
                + "certificate"));
        String serverName = section.value("server_name", null, TlsSections::serverName);
        boolean insecure = section.value("insecure_skip_verify", false, Values::bool);
        if (!upstream.secure()) {
            section.reject(firstSetKey(section), "is set but upstream is " + upstream + " (expected: an https:// "
                    + "upstream, or no upstream_tls section)");
            return upstream;
        }
        List<X509Certificate> cas = List.of();
        if (caFile != null) {
            try {
                cas = PemFiles.certificates(caFile);
            } catch (TlsFileException e) {
                section.reject("ca", e.getMessage());
                return upstream;
            }
        }
        if (insecure && (caFile != null || serverName != null)) {
            section.reject("insecure_skip_verify", "true together with " + (caFile != null ? "ca" : "server_name")
                    + ", which it would ignore (expected: verification, or insecure_skip_verify alone)");
            return upstream;
        }
        if (insecure) {
            section.warn("insecure_skip_verify", "true: Plex's certificate is not verified, so whoever can reach the "
                    + "path between plexgate and Plex can read and change the traffic (expected: server_name, and ca "
                    + "unless a public CA issued the certificate)");
        }
        return new UpstreamAddress(upstream.host(), upstream.port(), new UpstreamTls(cas, serverName, insecure));
    }

    private static String firstSetKey(Section section) {
        for (String key : UPSTREAM_KEYS) {
            if (section.has(key)) {
                return key;
            }
        }
        return UPSTREAM_KEYS.get(0);
    }

    /** The key whose file failed: a combined certificate-and-key file counts as cert. */
    private static String keyNaming(Path failed, ServerTlsFiles files) {
        if (failed.equals(files.certificate())) {
            return "cert";
        }
        if (failed.equals(files.key())) {
            return "key";
        }
        return failed.equals(files.keyPasswordFile()) ? "key_password_file" : "client_ca";
    }

    private static String serverName(YamlNode node) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING
                && HostNames.isValid(scalar.text())) {
            return scalar.text();
        }
        throw InvalidValue.of(node, "is not a host name", "the name in Plex's certificate, such as "
                + "192-168-1-10.0123456789abcdef0123456789abcdef.plex.direct");
    }
}
