package dev.e2bjobs.job;

import java.security.SecureRandom;
import java.time.Instant;

/** ULID-style job ids: 26 characters, sortable by creation time (48-bit ms) with 80 random bits. */
public final class JobIds {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    public static String next(Instant now) {
        char[] id = new char[26];
        long time = now.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            id[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        for (int i = 10; i < 26; i++) {
            id[i] = CROCKFORD[random[i - 10] & 31];
        }
        return new String(id);
    }
}
