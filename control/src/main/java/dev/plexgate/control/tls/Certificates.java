package dev.plexgate.control.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What the CA and the server certificate have in common: keys, serials, validity, signing. Every
 * operation uses the JDK's default providers (SunEC for P-256), so no provider is ever registered.
 */
final class Certificates {

    /** Back-dating of notBefore, so that a peer whose clock is a little behind accepts a new certificate. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final String CURVE = "secp256r1";
    // 127 random bits plus one: positive, never zero, and within RFC 5280's 20 octets.
    private static final int SERIAL_BITS = 127;

    private Certificates() {
    }

    /** A new EC P-256 key pair. */
    static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** A random serial: RFC 5280 asks for unique ones, and unpredictable ones defeat chosen-prefix attacks. */
    static BigInteger serial(SecureRandom random) {
        return new BigInteger(SERIAL_BITS, random).add(BigInteger.ONE);
    }

    /** {@code CN=<commonName>}, escaped as X.500 needs. */
    static X500Name commonName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    static Date notBefore(Instant now) {
        return Date.from(now.minus(CLOCK_SKEW));
    }

    /** {@code now} plus calendar years and days, counted in UTC. */
    static Instant after(Instant now, Period validity) {
        return now.atOffset(ZoneOffset.UTC).plus(validity).toInstant();
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1 for key identifiers", e);
        }
    }

    /** Signs with {@code issuerKey}: ECDSA for an EC key (ours), RSA for an RSA one (a CA from mkcert). */
    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate with a " + issuerKey.getAlgorithm() + " key", e);
        }
    }

    /** {@code SHA256withECDSA} or {@code SHA256withRSA}: the only kinds of key PemFiles reads and we make. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("no signature algorithm for a " + key.getAlgorithm() + " key");
        };
    }
}
