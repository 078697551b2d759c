package dev.plexgate.proxy.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PEM files as users bring them: certificate chains (a Cloudflare Origin CA certificate, a
 * {@code fullchain.pem}), and private keys in PKCS#8, PKCS#1 (RSA), SEC1 (EC, with or without
 * its {@code EC PARAMETERS} block) and encrypted PKCS#8 or legacy OpenSSL-encrypted form. The
 * JDK reads none of these but unencrypted PKCS#8, hence BouncyCastle.
 *
 * <p>Errors say what is wrong with the file, never what is in it.
 */
public final class PemFiles {

    /** RSA keys below this many bits are refused: they no longer protect anything. */
    static final int MIN_RSA_BITS = 2048;

    private PemFiles() {
    }

    /** Every certificate in {@code file}, in file order (leaf first, for a chain). */
    public static List<X509Certificate> certificates(Path file) throws TlsFileException {
        List<X509Certificate> certificates = new ArrayList<>();
        boolean sawKey = false;
        try (PEMParser parser = new PEMParser(reader(file))) {
            Object object;
            while ((object = next(parser, file)) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                } else if (isKey(object)) {
                    sawKey = true;
                }
            }
        } catch (CertificateException e) {
            throw new TlsFileException(file, "a CERTIFICATE block is not a valid X.509 certificate");
        } catch (IOException e) {
            throw new TlsFileException(file, "cannot read: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(file, sawKey
                    ? "holds a private key, not a certificate (expected: the certificate file, with "
                            + "'-----BEGIN CERTIFICATE-----' blocks)"
                    : "no certificate found (expected: PEM text with '-----BEGIN CERTIFICATE-----' blocks)");
        }
        return List.copyOf(certificates);
    }

    /**
     * The private key in {@code file}. {@code password} decrypts an encrypted key and must be
     * null for a plain one's absence of a password to be an error.
     */
    public static PrivateKey privateKey(Path file, char[] password) throws TlsFileException {
        Object found = null;
        boolean sawCertificate = false;
        try (PEMParser parser = new PEMParser(reader(file))) {
            Object object;
            while ((object = next(parser, file)) != null) {
                // SEC1 keys from `openssl ecparam -genkey` come after an EC PARAMETERS block; a
                // combined file may hold certificates too.
                if (object instanceof X509CertificateHolder) {
                    sawCertificate = true;
                    continue;
                }
                if (object instanceof ASN1ObjectIdentifier) {
                    continue;
                }
                if (found != null) {
                    throw new TlsFileException(file, "holds more than one private key (expected: exactly one)");
                }
                found = object;
            }
        } catch (IOException e) {
            throw new TlsFileException(file, "cannot read: " + e.getMessage());
        }
        if (found == null && sawCertificate) {
            throw new TlsFileException(file, "holds a certificate, not a private key (expected: the key file)");
        }
        if (found == null) {
            throw new TlsFileException(file,
                    "no private key found (expected: PEM text with a '-----BEGIN PRIVATE KEY-----', "
                            + "'-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN EC PRIVATE KEY-----' or "
                            + "'-----BEGIN ENCRYPTED PRIVATE KEY-----' block)");
        }
        PrivateKey key = toKey(file, found, password);
        checkAlgorithm(file, key);
        return key;
    }

    private static PrivateKey toKey(Path file, Object object, char[] password) throws TlsFileException {
        PrivateKeyInfo info = keyInfo(file, object, password);
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PEMException e) {
            throw new TlsFileException(file, "unsupported key algorithm (expected: an RSA or EC key)");
        } catch (RuntimeException e) {
            // BouncyCastle's ASN.1 parsing reports a damaged structure unchecked.
            throw new TlsFileException(file, "not a valid private key (a damaged file?)");
        }
    }

    /** The key's structure, decrypted first when it is encrypted. */
    private static PrivateKeyInfo keyInfo(Path file, Object object, char[] password) throws TlsFileException {
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            // Not through the key pair: that path asks the JDK for "ECDSA", which it lacks.
            return pair.getPrivateKeyInfo();
        }
        if (!(object instanceof PKCS8EncryptedPrivateKeyInfo) && !(object instanceof PEMEncryptedKeyPair)) {
            throw new TlsFileException(file, "holds a " + describe(object) + ", not a private key (expected: the"
                    + " key file)");
        }
        if (password == null) {
            throw new TlsFileException(file,
                    "the key is encrypted (expected: key_password_file naming a file with its password)");
        }
        try {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(new BouncyCastleProvider())
                        .build(password));
            }
            return ((PEMEncryptedKeyPair) object).decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider())
                    .build(password)).getPrivateKeyInfo();
        } catch (OperatorCreationException e) {
            throw new TlsFileException(file, "the key is encrypted with an unsupported scheme (expected: "
                    + "PBES2 as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes)");
        } catch (PKCSException | IOException | RuntimeException e) {
            // A wrong password and a damaged file fail the same padding or MAC check.
            throw new TlsFileException(file, "cannot decrypt the key: wrong password in key_password_file, "
                    + "or a damaged file");
        }
    }

    private static void checkAlgorithm(Path file, PrivateKey key) throws TlsFileException {
        switch (key.getAlgorithm()) {
            case "RSA" -> {
                if (key instanceof RSAPrivateCrtKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    throw new TlsFileException(file, "an RSA key of " + rsa.getModulus().bitLength()
                            + " bits is too weak (expected: " + MIN_RSA_BITS + " bits or more)");
                }
            }
            case "EC" -> {
            }
            default -> throw new TlsFileException(file, "unsupported key algorithm " + key.getAlgorithm()
                    + " (expected: an RSA or EC key)");
        }
    }

    private static Object next(PEMParser parser, Path file) throws TlsFileException {
        try {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            // The parser's message may quote the damaged text: say where to look instead.
            throw new TlsFileException(file, "not valid PEM (check the -----BEGIN/-----END lines and the "
                    + "base64 between them)");
        }
    }

    private static boolean isKey(Object object) {
        return object instanceof PrivateKeyInfo || object instanceof PEMKeyPair
                || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair;
    }

    private static String describe(Object object) {
        return object.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static Reader reader(Path file) throws TlsFileException {
        return new StringReader(text(file, StandardCharsets.US_ASCII));
    }

    /** A small text file's content, or an error saying why it cannot be read. */
    static String text(Path file, Charset charset) throws TlsFileException {
        try {
            return Files.readString(file, charset);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new TlsFileException(file, "permission denied");
        } catch (MalformedInputException e) {
            throw new TlsFileException(file, charset.equals(StandardCharsets.US_ASCII)
                    ? "not PEM text (binary DER? convert it with `openssl x509 -inform der` or `openssl pkey "
                            + "-inform der`)"
                    : "not " + charset + " text");
        } catch (IOException e) {
            throw new TlsFileException(file, "cannot read: " + e);
        }
    }
}
