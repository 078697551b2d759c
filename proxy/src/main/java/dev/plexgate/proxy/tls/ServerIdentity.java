package dev.plexgate.proxy.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * What the TLS listener presents: a certificate chain and its key, loaded from
 * {@link ServerTlsFiles} and checked as a whole before anything serves with it (the chain is
 * valid now, the key belongs to its first certificate), and the server context built from them.
 * A reload loads a new one; connections keep the one they started with.
 */
public final class ServerIdentity {

    /** A certificate this close to its end is reported (config load, doctor, /status). */
    public static final Duration RENEW_BEFORE = Duration.ofDays(14);

    private final ServerTlsFiles files;
    private final List<X509Certificate> chain;
    private final List<X509Certificate> clientCas;
    private final SslContext context;

    private ServerIdentity(ServerTlsFiles files, List<X509Certificate> chain, List<X509Certificate> clientCas,
            SslContext context) {
        this.files = files;
        this.chain = chain;
        this.clientCas = clientCas;
        this.context = context;
    }

    /** Reads and checks {@code files} as of {@code now}. */
    public static ServerIdentity load(ServerTlsFiles files, Instant now) throws TlsFileException {
        List<X509Certificate> chain = PemFiles.certificates(files.certificate());
        checkValidity(files.certificate(), chain.get(0), now, "the certificate");
        char[] password = files.keyPasswordFile() == null ? null : password(files.keyPasswordFile());
        PrivateKey key = PemFiles.privateKey(files.key(), password);
        checkKeyMatches(files, chain, key);
        List<X509Certificate> clientCas = files.clientCa() == null ? List.of() : PemFiles.certificates(files.clientCa());
        for (X509Certificate ca : clientCas) {
            checkValidity(files.clientCa(), ca, now, "a CA certificate");
        }
        return new ServerIdentity(files, chain, clientCas, context(files, chain, key, clientCas));
    }

    public ServerTlsFiles files() {
        return files;
    }

    /** The certificate the listener presents (the chain's first). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Whether the certificate ends within {@link #RENEW_BEFORE} of {@code now}. */
    public boolean expiresSoon(Instant now) {
        return notAfter().isBefore(now.plus(RENEW_BEFORE));
    }

    /** Whether peers must present a certificate issued by one of {@code client_ca}'s CAs. */
    public boolean requiresClientCertificate() {
        return !clientCas.isEmpty();
    }

    public SslContext context() {
        return context;
    }

    private static SslContext context(ServerTlsFiles files, List<X509Certificate> chain, PrivateKey key,
            List<X509Certificate> clientCas) throws TlsFileException {
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(TlsEngine.provider())
                .protocols(TlsEngine.PROTOCOLS)
                .ciphers(TlsEngine.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
        if (!clientCas.isEmpty()) {
            builder.trustManager(clientCas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsFileException(files.certificate(), "cannot serve with this certificate and key: "
                    + e.getMessage());
        }
    }

    private static void checkValidity(Path file, X509Certificate certificate, Instant now, String what)
            throws TlsFileException {
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new TlsFileException(file, what + " (" + subject(certificate) + ") expired on " + notAfter
                    + " (expected: a current certificate; `plexgate tls renew` renews one it made)");
        }
        if (now.isBefore(notBefore)) {
            throw new TlsFileException(file, what + " (" + subject(certificate) + ") is not valid before "
                    + notBefore + " (expected: a current certificate; is this machine's clock right?)");
        }
    }

    private static void checkKeyMatches(ServerTlsFiles files, List<X509Certificate> chain, PrivateKey key)
            throws TlsFileException {
        if (belongsTo(key, chain.get(0).getPublicKey())) {
            return;
        }
        for (int i = 1; i < chain.size(); i++) {
            if (belongsTo(key, chain.get(i).getPublicKey())) {
                throw new TlsFileException(files.certificate(), "the key belongs to certificate " + (i + 1)
                        + " of the file, not the first (expected: the server's certificate first, then its CAs)");
            }
        }
        throw new TlsFileException(files.key(), "the key does not match the certificate in " + files.certificate()
                + " (" + subject(chain.get(0)) + ")");
    }

    /** Proves the pair by signing: works alike for RSA and EC and needs no key internals. */
    private static boolean belongsTo(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static char[] password(Path file) throws TlsFileException {
        String text = PemFiles.text(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).replaceFirst("\r$", "");
        if (line.isEmpty()) {
            throw new TlsFileException(file, "is empty (expected: the key's password on the first line)");
        }
        return line.toCharArray();
    }

    public static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
