package dev.e2bjobs.webhook;

import dev.e2bjobs.job.AddressResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The JVM's resolver (DNS in Lambda). */
@ApplicationScoped
public class DnsAddressResolver implements AddressResolver {

    @Override
    public List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
