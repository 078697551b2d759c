package dev.plexgate.proxy.policy.rules;

/**
 * One lexical token: its kind and where it lies in the untrimmed source ({@code [start, end)},
 * chars). For strings, {@code [contentStart, contentEnd)} is the text between the delimiters, still
 * escaped: a quoted string is decoded one way as a string and another way as a regex.
 */
record Token(Kind kind, int start, int end, int contentStart, int contentEnd) {

    enum Kind {
        /** A run of {@code [A-Za-z0-9_.:/-]}: a name, keyword, integer, IP, CIDR or range. */
        WORD,
        QUOTED_STRING,
        RAW_STRING,
        /** {@code $name}; the content is the name. */
        LIST,
        LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE, COMMA, STAR,
        /** {@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}, {@code ~}. */
        EQ_EQ, NOT_EQ, LT, LE, GT, GE, TILDE,
        /** {@code !}, {@code &&}, {@code ||}, {@code ^^}. */
        BANG, AND_AND, OR_OR, XOR_XOR,
        END_OF_INPUT
    }

    static Token simple(Kind kind, int start, int end) {
        return new Token(kind, start, end, start, end);
    }

    boolean isString() {
        return kind == Kind.QUOTED_STRING || kind == Kind.RAW_STRING;
    }
}
