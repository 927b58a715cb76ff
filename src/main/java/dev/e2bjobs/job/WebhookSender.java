package dev.e2bjobs.job;

import java.util.Map;

/** Sends a completion callback over HTTPS. */
public interface WebhookSender {

    /**
     * POSTs {@code body} to the target's URL, connecting to the target's (checked) address while TLS
     * still verifies the URL's host; returns the HTTP status. Throws when the receiver cannot be reached.
     */
    int post(CallbackTargets.Target target, Map<String, String> headers, byte[] body);
}
