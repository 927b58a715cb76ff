package dev.e2bjobs.job;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/**
 * Where completion callbacks may go: an https URL without user info whose host resolves only to
 * public addresses — never loopback, private, link-local (the cloud metadata service), carrier-grade
 * NAT, multicast or unspecified ones. Checked at submit and again right before each delivery, which
 * then connects to the very address checked, so DNS rebinding cannot redirect it.
 */
public final class CallbackTargets {
    private final AddressResolver resolver;
    /** Origins ("https://host:port") allowed although they are on loopback: the test receiver, and only in tests. */
    private final Set<String> loopbackOrigins;

    public CallbackTargets(AddressResolver resolver, Set<String> loopbackOrigins) {
        this.resolver = resolver;
        this.loopbackOrigins = Set.copyOf(loopbackOrigins);
    }

    /** A callback target: its URL and the address to connect to. */
    public record Target(URI url, InetAddress address) {
    }

    /** The URL checked, with the address to deliver to; a URL that breaks a rule is CALLBACK_URL_INVALID. */
    public Target check(String url) {
        URI uri = parse(url);
        boolean loopbackAllowed = loopbackOrigins.contains("https://" + uri.getHost() + ":" + uri.getPort());
        List<InetAddress> addresses = resolver.resolve(uri.getHost());
        if (addresses.isEmpty()) {
            throw invalid("its host " + uri.getHost() + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address) && !(loopbackAllowed && address.isLoopbackAddress())) {
                throw invalid("its host resolves to " + address.getHostAddress() + ", which is not a public address");
            }
        }
        return new Target(uri, addresses.get(0));
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("it is not a URL: " + e.getMessage());
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw invalid("it must be an https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("it may not carry user info");
        }
        return uri.getPort() == -1 ? URI.create("https://" + uri.getHost() + ":443" + rest(uri)) : uri;
    }

    private static String rest(URI uri) {
        return (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** Neither loopback, private, link-local, CGNAT (100.64/10), unique-local IPv6 (fc00::/7), multicast nor unspecified. */
    static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        boolean cgnat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocal = address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
        return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || cgnat || uniqueLocal);
    }

    private static InvalidJobRequestException invalid(String why) {
        return new InvalidJobRequestException("CALLBACK_URL_INVALID", "callbackUrl: " + why);
    }
}
