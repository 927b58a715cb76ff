package dev.e2bjobs.local.e2b;

/**
 * Thrown to drop a client's connection without an answer, as E2B does to open streams when a sandbox
 * is killed or paused: the server closes the socket instead of finishing the response.
 */
final class ConnectionDropped extends RuntimeException {
    ConnectionDropped(String why) {
        super(why, null, false, false);
    }
}
