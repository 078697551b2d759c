package dev.plexgate.control.tls;

import dev.plexgate.control.files.AtomicFiles;
import dev.plexgate.proxy.tls.PemFiles;
import dev.plexgate.proxy.tls.TlsFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory of {@code plexgate tls}: the CA's certificate and key, and the server's chain and
 * key that {@code listen_tls} names. Certificates are world-readable, keys {@code 0600}, the
 * directory {@code 0700} when created here.
 *
 * @param directory absolute, as printed for cloudflared's {@code caPool}
 */
public record TlsFiles(Path directory) {

    /** Where the .deb keeps its configuration. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/etc/plexgate/tls");

    private static final String CA_CERTIFICATE = "ca.pem";
    private static final String CA_KEY = "ca.key";
    private static final String SERVER_CERTIFICATE = "server.pem";
    private static final String SERVER_KEY = "server.key";

    public TlsFiles {
        directory = directory.toAbsolutePath().normalize();
    }

    /** The CA certificate: cloudflared's {@code caPool}. */
    public Path caCertificate() {
        return directory.resolve(CA_CERTIFICATE);
    }

    /** The CA's key: it signs what cloudflared will trust, so it stays here, {@code 0600}. */
    public Path caKey() {
        return directory.resolve(CA_KEY);
    }

    /** The server certificate followed by the CA's: the chain plexgate's TLS listener sends. */
    public Path serverCertificate() {
        return directory.resolve(SERVER_CERTIFICATE);
    }

    public Path serverKey() {
        return directory.resolve(SERVER_KEY);
    }

    /** Those of the four files that exist already (a dangling link counts): what {@code init} will not overwrite. */
    public List<Path> existing() {
        return Stream.of(caCertificate(), caKey(), serverCertificate(), serverKey())
                .filter(file -> Files.exists(file, LinkOption.NOFOLLOW_LINKS))
                .toList();
    }

    /** The user {@code --owner} names, looked up before anything is written. */
    public UserPrincipal user(String name) throws TlsRefusal {
        try {
            return directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw TlsRefusal.invalid("--owner '" + name + "': no such user");
        } catch (IOException e) {
            throw TlsRefusal.invalid("--owner '" + name + "': cannot look the user up: " + e.getMessage());
        }
    }

    /**
     * Writes a new CA and the server certificate it issued, replacing whichever of the four files exist.
     *
     * @param serverOwner the owner of the server's files and of the directory: the user plexgate runs as;
     *                    or null to keep the owners of the files replaced
     */
    public void writeAll(LocalCa ca, ServerCertificate server, UserPrincipal serverOwner) throws IOException {
        prepareDirectory(serverOwner);
        try (AtomicFiles files = new AtomicFiles(directory)) {
            files.stage(CA_CERTIFICATE, PemText.certificates(ca.certificate()), AtomicFiles.PUBLIC, null);
            files.stage(CA_KEY, PemText.privateKey(ca.key()), AtomicFiles.PRIVATE, null);
            stageServer(files, ca, server, serverOwner);
            files.commit();
        }
    }

    /** Replaces the server's two files only, as {@link #writeAll} does. */
    public void writeServer(LocalCa ca, ServerCertificate server, UserPrincipal serverOwner) throws IOException {
        prepareDirectory(serverOwner);
        try (AtomicFiles files = new AtomicFiles(directory)) {
            stageServer(files, ca, server, serverOwner);
            files.commit();
        }
    }

    /**
     * The CA that {@code init} wrote.
     *
     * @throws TlsRefusal refused when a file is missing, invalid when one cannot be used
     */
    public LocalCa readCa() throws TlsRefusal {
        List<Path> missing = Stream.of(caCertificate(), caKey()).filter(Files::notExists).toList();
        if (!missing.isEmpty()) {
            throw TlsRefusal.refused("no local CA in " + directory + ": " + names(missing)
                    + (missing.size() == 1 ? " is" : " are") + " missing; run `plexgate tls init` first");
        }
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = PemFiles.certificates(caCertificate()).get(0);
            key = PemFiles.privateKey(caKey(), null);
        } catch (TlsFileException e) {
            throw TlsRefusal.invalid(e.getMessage());
        }
        if (certificate.getBasicConstraints() < 0) {
            throw TlsRefusal.invalid(caCertificate() + ": not a CA certificate (expected: the ca.pem of"
                    + " `plexgate tls init`)");
        }
        if (!belongTogether(certificate, key)) {
            throw TlsRefusal.invalid(caKey() + ": not the key of " + caCertificate() + " (expected: the two files"
                    + " `plexgate tls init` wrote together)");
        }
        return new LocalCa(certificate, key);
    }

    /**
     * The names of the server certificate in place, to renew it for the same ones.
     *
     * @throws TlsRefusal refused when there is none, invalid when it cannot be read or names nothing
     */
    public SubjectNames serverNames() throws TlsRefusal {
        Path file = serverCertificate();
        if (Files.notExists(file)) {
            throw TlsRefusal.refused(file + " does not exist: give the names of the new certificate with --name"
                    + " and --ip");
        }
        try {
            return SubjectNames.of(PemFiles.certificates(file).get(0)).orElseThrow(() ->
                    TlsRefusal.invalid(file + ": names no host or address (expected: give them with --name"
                            + " and --ip)"));
        } catch (TlsFileException e) {
            throw TlsRefusal.invalid(e.getMessage());
        } catch (CertificateParsingException e) {
            throw TlsRefusal.invalid(file + ": its subject alternative names cannot be read (expected: give the"
                    + " names with --name and --ip)");
        }
    }

    /** Names of files, as a message lists them: {@code a, b}. */
    public static String names(List<Path> files) {
        return String.join(", ", files.stream().map(Path::toString).toList());
    }

    private void prepareDirectory(UserPrincipal owner) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        if (owner != null) {
            // The service must reach its own two files; the CA key stays the current user's, 0600.
            Files.setOwner(directory, owner);
        }
    }

    private static void stageServer(AtomicFiles files, LocalCa ca, ServerCertificate server, UserPrincipal owner)
            throws IOException {
        files.stage(SERVER_CERTIFICATE, PemText.certificates(server.certificate(), ca.certificate()),
                AtomicFiles.PUBLIC, owner);
        files.stage(SERVER_KEY, PemText.privateKey(server.key()), AtomicFiles.PRIVATE, owner);
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String algorithm = Certificates.signatureAlgorithm(key);
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key of another algorithm than the certificate's: certainly not its key.
            return false;
        }
    }
}
