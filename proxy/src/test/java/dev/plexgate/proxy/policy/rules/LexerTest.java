package dev.plexgate.proxy.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.policy.rules.Token.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LexerTest {

    private static List<String> lex(String text) {
        SourceText source = new SourceText(text);
        return Lexer.tokenize(source).stream()
                .map(t -> t.kind() + (t.kind() == Kind.END_OF_INPUT ? "" : ":" + source.slice(t.start(), t.end())))
                .toList();
    }

    @Test
    void tokenize_mergesOnlyWordCharacters() {
        assertThat(lex("ip.src in{10.0.0.0/8 ::1 1..5 -3}")).containsExactly("WORD:ip.src", "WORD:in", "LBRACE:{",
                "WORD:10.0.0.0/8", "WORD:::1", "WORD:1..5", "WORD:-3", "RBRACE:}", "END_OF_INPUT");
        assertThat(lex("http.host==\"a\"&&!ssl")).containsExactly("WORD:http.host", "EQ_EQ:==", "QUOTED_STRING:\"a\"",
                "AND_AND:&&", "BANG:!", "WORD:ssl", "END_OF_INPUT");
    }

    @Test
    void tokenize_symbols() {
        assertThat(lex("!= < <= > >= ~ || ^^ ( ) [ ] , *")).containsExactly("NOT_EQ:!=", "LT:<", "LE:<=", "GT:>",
                "GE:>=", "TILDE:~", "OR_OR:||", "XOR_XOR:^^", "LPAREN:(", "RPAREN:)", "LBRACKET:[", "RBRACKET:]",
                "COMMA:,", "STAR:*", "END_OF_INPUT");
    }

    @Test
    void tokenize_stringsEndAtTheFirstUnescapedQuote() {
        assertThat(lex("\"a\\\"b\\\\\" x")).containsExactly("QUOTED_STRING:\"a\\\"b\\\\\"", "WORD:x", "END_OF_INPUT");
    }

    @Test
    void tokenize_rawStringsEndAtTheQuoteWithAsManyHashes() {
        SourceText source = new SourceText("r##\"a\"#b\"## r\"c\"");
        List<Token> tokens = Lexer.tokenize(source);
        assertThat(tokens.get(0).kind()).isEqualTo(Kind.RAW_STRING);
        assertThat(source.slice(tokens.get(0).contentStart(), tokens.get(0).contentEnd())).isEqualTo("a\"#b");
        assertThat(source.slice(tokens.get(1).contentStart(), tokens.get(1).contentEnd())).isEqualTo("c");
    }

    @Test
    void tokenize_aWordStartingWithR_isNotARawString() {
        assertThat(lex("rx r")).containsExactly("WORD:rx", "WORD:r", "END_OF_INPUT");
    }

    @Test
    void tokenize_listNames() {
        assertThat(lex("$friends_2")).containsExactly("LIST:$friends_2", "END_OF_INPUT");
    }

    @Test
    void tokenize_tooManyRawHashes_isALimit() {
        String text = "r" + "#".repeat(256) + "\"a\"" + "#".repeat(256);
        assertThatThrownBy(() -> Lexer.tokenize(new SourceText(text))).isInstanceOf(SyntaxError.class)
                .hasMessage("a raw string opens with at most 255 '#'");
    }
}
