package dev.e2bjobs.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The web as domain tests see it: a DNS whose answers a test sets, and callback receivers that answer
 * with queued statuses (a null status: unreachable) and record what they got.
 */
final class FakeWeb implements AddressResolver, WebhookSender, CallbackTrigger {

    /** One POST a receiver got. */
    record Received(CallbackTargets.Target target, Map<String, String> headers, byte[] body) {
    }

    final Map<String, List<InetAddress>> dns = new HashMap<>();
    final Queue<Integer> answers = new LinkedList<>();
    final List<Received> received = new ArrayList<>();
    final List<String> triggered = new ArrayList<>();

    FakeWeb() {
        resolves("hooks.example.com", "93.184.216.34");
    }

    void resolves(String host, String address) {
        try {
            dns.put(host, List.of(InetAddress.getByName(address)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public List<InetAddress> resolve(String host) {
        return dns.getOrDefault(host, List.of());
    }

    @Override
    public synchronized int post(CallbackTargets.Target target, Map<String, String> headers, byte[] body) {
        Integer status = answers.isEmpty() ? 200 : answers.poll();
        if (status == null) {
            throw new IllegalStateException("connection refused");
        }
        received.add(new Received(target, headers, body));
        return status;
    }

    @Override
    public synchronized void trigger(String jobId) {
        triggered.add(jobId);
    }
}
