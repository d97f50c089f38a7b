package dev.registry.server.http;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a request's {@code Accept-Encoding} lets a reply go out gzip-encoded (RFC 9110 §12.5.3):
 * {@code gzip} (or {@code x-gzip}, or {@code *} when gzip is not named) with a q-value above 0,
 * and not below an explicit {@code identity}. No header means plain: curl and the JDK's client
 * send none.
 */
public final class AcceptEncoding {

    /** The request header's name. */
    public static final String HEADER = "Accept-Encoding";

    private static final double NOT_LISTED = -1;
    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} */
    private static final Pattern QVALUE = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");

    private AcceptEncoding() {}

    public static boolean allowsGzip(Optional<String> acceptEncoding) {
        return acceptEncoding.map(AcceptEncoding::allowsGzip).orElse(false);
    }

    public static boolean allowsGzip(String acceptEncoding) {
        double gzip = NOT_LISTED;
        double any = NOT_LISTED;
        double identity = NOT_LISTED;
        for (String element : acceptEncoding.split(",")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon))
                    .trim()
                    .toLowerCase(Locale.ROOT);
            double q = semicolon < 0 ? 1 : quality(element.substring(semicolon + 1));
            if (q < 0) {
                continue; // a malformed q-value: the element says nothing
            }
            switch (coding) {
                case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                case "*" -> any = Math.max(any, q);
                case "identity" -> identity = Math.max(identity, q);
                default -> {}
            }
        }
        double wanted = gzip != NOT_LISTED ? gzip : any;
        return wanted > 0 && wanted >= identity;
    }

    /** The {@code q} parameter among {@code parameters} (1 when absent), or -1 when malformed. */
    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("q")) {
                continue;
            }
            String value = parameter.substring(equals + 1).trim();
            if (!QVALUE.matcher(value).matches()) {
                return -1;
            }
            return Double.parseDouble(value);
        }
        return 1;
    }
}
