package dev.registry.router.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that concern one connection, not the request (RFC 9110 7.6.1): a proxy drops them, and
 * also those the {@code Connection} header names.
 */
final class HopByHop {

    private static final Set<String> ALWAYS = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    private HopByHop() {}

    /** The lower-case names to drop, given the values of the message's {@code Connection} headers. */
    static Set<String> names(List<String> connectionValues) {
        Set<String> names = new HashSet<>(ALWAYS);
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    names.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
