package dev.plexgate.control.explain;

/** The few bits of RFC 9110 syntax that typed request parts must respect to be sendable at all. */
final class HttpSyntax {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HttpSyntax() {
    }

    /** A method or header name: one or more tchar. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** A header value: no control characters but TAB. */
    static boolean isFieldValue(String text) {
        return text.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7F);
    }

    /** A request target: visible characters only. */
    static boolean isTarget(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c != 0x7F);
    }
}
