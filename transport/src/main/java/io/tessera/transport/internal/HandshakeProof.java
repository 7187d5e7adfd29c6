package io.tessera.transport.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * HMAC-SHA256 proofs of the cluster token over the peers' nonces (see {@link HandshakeLayout}).
 */
public final class HandshakeProof
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private HandshakeProof()
    {
    }

    /**
     * @return a fresh random nonce.
     */
    public static byte[] nonce()
    {
        final byte[] nonce = new byte[HandshakeLayout.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * @param token  cluster token.
     * @param domain {@link HandshakeLayout#SERVER_PROOF_DOMAIN} or {@link HandshakeLayout#CLIENT_PROOF_DOMAIN}.
     * @param first  first nonce.
     * @param second second nonce.
     * @return HMAC-SHA256(token, domain | first | second).
     */
    public static byte[] proof(final byte[] token, final byte domain, final byte[] first, final byte[] second)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            mac.update(domain);
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    /**
     * @return true when both proofs are equal, compared in constant time.
     */
    public static boolean matches(final byte[] expected, final byte[] actual)
    {
        return MessageDigest.isEqual(expected, actual);
    }
}
