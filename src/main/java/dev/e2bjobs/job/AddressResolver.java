package dev.e2bjobs.job;

import java.net.InetAddress;
import java.util.List;

/** Resolves host names (DNS), so callback addresses can be checked before anything connects to them. */
public interface AddressResolver {

    /** Every address {@code host} resolves to; empty when it does not resolve. */
    List<InetAddress> resolve(String host);
}
