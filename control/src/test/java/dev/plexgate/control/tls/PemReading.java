package dev.plexgate.control.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks what {@code plexgate tls} wrote with the JDK alone, so that the tests do not
 * trust the code they test: certificates through {@link CertificateFactory}, keys as PKCS#8, chains
 * through the PKIX {@link CertPathValidator}.
 */
public final class PemReading {

    private PemReading() {
    }

    /** Every certificate of a PEM file, in file order. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        }
    }

    public static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
        return certificates(file).get(0);
    }

    /** The key of an unencrypted PKCS#8 PEM file: fails on any other form. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file);
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        if (!text.startsWith(begin) || !text.strip().endsWith(end)) {
            throw new IllegalArgumentException(file + " is not one PKCS#8 PEM block");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin.length(), text.indexOf(end)));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /**
     * Validates {@code chain} (leaf first, possibly ending with the anchor itself, as server.pem does)
     * against the single trust anchor {@code ca}, without revocation checks.
     */
    public static PKIXCertPathValidatorResult validate(List<X509Certificate> chain, X509Certificate ca)
            throws GeneralSecurityException {
        // A PKIX path excludes its trust anchor.
        List<X509Certificate> path = chain.stream().filter(certificate -> !certificate.equals(ca)).toList();
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    }

    /** Whether {@code key} signs what the certificate's public key verifies: the two belong together. */
    public static boolean belongTogether(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        byte[] message = "plexgate".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(message);
        return verifier.verify(signature);
    }
}
