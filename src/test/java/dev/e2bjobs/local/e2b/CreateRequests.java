package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The bodies of the last create requests, newest last, so tests can see exactly what a client sent. */
final class CreateRequests {
    static final int KEPT = 100;
    private final Deque<JsonNode> bodies = new ArrayDeque<>();

    synchronized void add(JsonNode body) {
        bodies.addLast(body);
        if (bodies.size() > KEPT) {
            bodies.removeFirst();
        }
    }

    synchronized List<JsonNode> recent() {
        return List.copyOf(bodies);
    }
}
