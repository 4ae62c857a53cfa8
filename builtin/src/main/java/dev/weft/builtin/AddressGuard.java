package dev.weft.builtin;

import dev.weft.node.NodeException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides which addresses the {@code http} node may call: by default only public ones, so that a flow cannot
 * reach the machine's own services, the private network or a cloud metadata endpoint. Checked before every
 * request and every redirect hop, against every address the host name resolves to.
 *
 * <p>The check resolves the name itself and the HTTP client resolves it again when it connects, so a DNS server
 * that answers differently the second time (DNS rebinding) is not stopped here.
 */
public final class AddressGuard {

    /** The environment variable an operator sets to {@code true} to let flows call private addresses. */
    public static final String ALLOW_PRIVATE_ENV = "WEFT_HTTP_ALLOW_PRIVATE";
    /** The error type of a refused address or scheme. */
    public static final String REFUSED = "address_refused";

    private final Predicate<InetAddress> allowed;

    /** A guard that lets through the addresses {@code allowed} accepts. */
    public AddressGuard(Predicate<InetAddress> allowed) {
        this.allowed = allowed;
    }

    /** Only public addresses: the default. */
    public static AddressGuard publicOnly() {
        return new AddressGuard(AddressGuard::isPublic);
    }

    /** Any address, for an operator who set {@value #ALLOW_PRIVATE_ENV}. Schemes are still checked. */
    public static AddressGuard allowingPrivate() {
        return new AddressGuard(address -> true);
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /** Whether {@code host} is an IP address written out (no name to look up: checking it never waits on DNS). */
    public static boolean literal(String host) {
        return host != null && (host.startsWith("[") || IPV4.matcher(host).matches());
    }

    /** Throws {@link NodeException} ({@value #REFUSED}) unless {@code uri} is http(s) on an allowed host. */
    public void check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new NodeException(REFUSED, Hop.display(uri) + " is not an http(s) URL", false);
        }
        if (uri.getHost() == null) {
            throw new NodeException(REFUSED, Hop.display(uri) + " has no host name this client can use", false);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new NodeException(HttpNode.ERROR, Hop.display(uri) + ": host " + uri.getHost() + " is unknown", true);
        }
        for (InetAddress address : addresses) {
            if (!allowed.test(address)) {
                String kind = kind(address);
                throw new NodeException(REFUSED, Hop.display(uri) + " resolves to " + address.getHostAddress() + ", "
                        + (kind == null ? "an address this guard refuses" : kind) + "; set " + ALLOW_PRIVATE_ENV
                        + "=true to allow", false);
            }
        }
    }

    /** True for an address on the public internet. */
    public static boolean isPublic(InetAddress address) {
        return kind(address) == null;
    }

    /** What kind of non-public address this is ("a loopback address"), or null for a public one. */
    static String kind(InetAddress address) {
        if (address.isLoopbackAddress()) return "a loopback address";
        if (address.isAnyLocalAddress()) return "the unspecified address";
        if (address.isLinkLocalAddress()) return "a link-local address";
        if (address.isSiteLocalAddress()) return "a private address";
        if (address.isMulticastAddress()) return "a multicast address";
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            if (first == 0) return "a this-network address (0.0.0.0/8)";
            if (first == 100 && (b[1] & 0xc0) == 64) return "a carrier-grade NAT address (100.64.0.0/10)";
            if (first >= 240) return "a reserved or broadcast address";
            return null;
        }
        if ((b[0] & 0xfe) == 0xfc) return "a unique-local address (fc00::/7)";
        // IPv6 forms that carry an IPv4 address the network may route to: IPv4-compatible, NAT64, 6to4.
        if (zeros(b, 0, 12)) return embedded(b, 12);
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zeros(b, 4, 12)) {
            return embedded(b, 12);
        }
        if (b[0] == 0x20 && b[1] == 0x02) return embedded(b, 2);
        return null;
    }

    private static String embedded(byte[] b, int from) {
        try {
            String kind = kind(InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]}));
            return kind == null ? null : kind + " embedded in an IPv6 address";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) return false;
        }
        return true;
    }
}
