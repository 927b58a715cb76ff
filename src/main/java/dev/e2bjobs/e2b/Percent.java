package dev.e2bjobs.e2b;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding as JavaScript's encodeURIComponent does it, which is what E2B's SDKs send. */
final class Percent {
    private Percent() {
    }

    static String encode(String value) {
        // URLEncoder is form encoding: it writes spaces as '+' and leaves '*' bare; encodeURIComponent
        // writes %20 and keeps ! ' ( ) ~ bare. Both decode to the same text on the server.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
