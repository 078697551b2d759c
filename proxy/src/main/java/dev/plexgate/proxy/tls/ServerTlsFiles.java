package dev.plexgate.proxy.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files of the TLS listener's identity, as {@code plexgate.yml} names them.
 *
 * @param certificate     PEM certificate chain, the server's own certificate first
 * @param key             its private key (PKCS#8, PKCS#1, SEC1, or encrypted PKCS#8)
 * @param keyPasswordFile the key's password on the file's first line, or null for a plain key
 * @param clientCa        PEM certificates of the CAs whose client certificates are accepted, or
 *                        null to serve peers without a client certificate
 */
public record ServerTlsFiles(Path certificate, Path key, Path keyPasswordFile, Path clientCa) {

    public ServerTlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    /** Every file named, for the reload watcher. */
    public List<Path> all() {
        List<Path> files = new ArrayList<>(List.of(certificate, key));
        if (keyPasswordFile != null) {
            files.add(keyPasswordFile);
        }
        if (clientCa != null) {
            files.add(clientCa);
        }
        return List.copyOf(files);
    }
}
