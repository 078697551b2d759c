package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.rules.RuleError.Category;
import dev.plexgate.proxy.policy.rules.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the trimmed expression into tokens. Context-free: names, keywords and literals such as
 * {@code 10.0.0.0/8} or {@code 1..5} all come out as one {@link Kind#WORD} that the parser reads by
 * what it expects there, and strings keep their escapes so that a regex can be decoded differently.
 */
final class Lexer {

    /** Raw strings open with at most this many {@code #} (wirefilter's limit). */
    private static final int MAX_RAW_HASHES = 255;

    private final SourceText source;
    private int pos;

    private Lexer(SourceText source) {
        this.source = source;
        this.pos = source.start();
    }

    /**
     * The tokens, ending with {@link Kind#END_OF_INPUT} placed just after the last character.
     *
     * @throws SyntaxError at the first character that starts no token
     */
    static List<Token> tokenize(SourceText source) {
        Lexer lexer = new Lexer(source);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END_OF_INPUT);
        return tokens;
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    }

    private Token next() {
        int end = source.end();
        while (pos < end && SourceText.isWhitespace(source.charAt(pos))) {
            pos++;
        }
        if (pos >= end) {
            return Token.simple(Kind.END_OF_INPUT, end, end);
        }
        int start = pos;
        char c = source.charAt(pos);
        if (c == 'r' && pos + 1 < end && (source.charAt(pos + 1) == '"' || source.charAt(pos + 1) == '#')) {
            return rawString(start);
        }
        if (isWordChar(c)) {
            while (pos < end && isWordChar(source.charAt(pos))) {
                pos++;
            }
            return Token.simple(Kind.WORD, start, pos);
        }
        pos++;
        return switch (c) {
            case '"' -> quotedString(start);
            case '$' -> listName(start);
            case '(' -> Token.simple(Kind.LPAREN, start, pos);
            case ')' -> Token.simple(Kind.RPAREN, start, pos);
            case '[' -> Token.simple(Kind.LBRACKET, start, pos);
            case ']' -> Token.simple(Kind.RBRACKET, start, pos);
            case '{' -> Token.simple(Kind.LBRACE, start, pos);
            case '}' -> Token.simple(Kind.RBRACE, start, pos);
            case ',' -> Token.simple(Kind.COMMA, start, pos);
            case '*' -> Token.simple(Kind.STAR, start, pos);
            case '~' -> Token.simple(Kind.TILDE, start, pos);
            case '=' -> pair('=', Kind.EQ_EQ, null, start, "'=' is not an operator (expected: '==' or 'eq')");
            case '!' -> pair('=', Kind.NOT_EQ, Kind.BANG, start, null);
            case '<' -> pair('=', Kind.LE, Kind.LT, start, null);
            case '>' -> pair('=', Kind.GE, Kind.GT, start, null);
            case '&' -> pair('&', Kind.AND_AND, null, start, "'&' is not an operator (expected: '&&' or 'and')");
            case '|' -> pair('|', Kind.OR_OR, null, start, "'|' is not an operator (expected: '||' or 'or')");
            case '^' -> pair('^', Kind.XOR_XOR, null, start, "'^' is not an operator (expected: '^^' or 'xor')");
            case '\t' -> throw error(Category.UNEXPECTED_TOKEN,
                    "TAB is not whitespace in the Rules language (expected: spaces or line breaks)", start, pos);
            default -> throw error(Category.UNEXPECTED_TOKEN,
                    "unexpected character '" + new String(Character.toChars(source.text().codePointAt(start)))
                            + "'", start, start + Character.charCount(source.text().codePointAt(start)));
        };
    }

    private Token pair(char second, Kind doubled, Kind single, int start, String singleError) {
        if (pos < source.end() && source.charAt(pos) == second) {
            pos++;
            return Token.simple(doubled, start, pos);
        }
        if (single == null) {
            throw error(Category.UNEXPECTED_TOKEN, singleError, start, pos);
        }
        return Token.simple(single, start, pos);
    }

    private Token quotedString(int start) {
        int end = source.end();
        while (pos < end) {
            char c = source.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.QUOTED_STRING, start, pos, start + 1, pos - 1);
            }
            pos += c == '\\' ? 2 : 1;
        }
        throw error(Category.BAD_LITERAL, "unterminated string (expected: a closing '\"')", start, end);
    }

    private Token rawString(int start) {
        int end = source.end();
        pos++; // the 'r'
        int hashes = 0;
        while (pos < end && source.charAt(pos) == '#') {
            hashes++;
            pos++;
        }
        if (hashes > MAX_RAW_HASHES) {
            throw error(Category.LIMIT_EXCEEDED, "a raw string opens with at most " + MAX_RAW_HASHES + " '#'",
                    start, pos);
        }
        if (pos >= end || source.charAt(pos) != '"') {
            throw error(Category.BAD_LITERAL, "expected '\"' to open the raw string", start, pos);
        }
        int contentStart = ++pos;
        String closing = "\"" + "#".repeat(hashes);
        int close = source.text().indexOf(closing, contentStart);
        if (close < 0 || close + closing.length() > end) {
            throw error(Category.BAD_LITERAL, "unterminated raw string (expected: a closing '" + closing + "')",
                    start, end);
        }
        pos = close + closing.length();
        return new Token(Kind.RAW_STRING, start, pos, contentStart, close);
    }

    private Token listName(int start) {
        int end = source.end();
        while (pos < end && isWordChar(source.charAt(pos))) {
            pos++;
        }
        String name = source.slice(start + 1, pos);
        if (name.isEmpty()) {
            throw error(Category.BAD_LITERAL, "expected a list name after '$'", start, pos);
        }
        if (!name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            throw error(Category.BAD_LITERAL, "invalid list name '" + name
                    + "' (expected: lowercase letters, digits and '_')", start, pos);
        }
        return new Token(Kind.LIST, start, pos, start + 1, pos);
    }

    private SyntaxError error(Category category, String message, int from, int to) {
        return new SyntaxError(source.error(category, message, from, to));
    }
}
