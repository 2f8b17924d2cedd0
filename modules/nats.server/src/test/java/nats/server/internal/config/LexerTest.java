package nats.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Token streams, pinned to the Go server's {@code conf/lex_test.go} (v2.9.10): each test names the Go test whose
 * expectations it repeats. Tokens are shown as "KIND text"; comments produce no tokens here.
 */
class LexerTest {

    static List<String> lex(String input) throws ConfigException {
        Lexer lx = new Lexer(new Source(null, input));
        List<String> out = new ArrayList<>();
        for (Lexer.Token t = lx.nextToken(); t.kind() != Lexer.Kind.EOF; t = lx.nextToken()) {
            out.add((t.kind() + " " + t.text()).strip());
        }
        return out;
    }

    static ConfigException lexError(String input) {
        return assertThrows(ConfigException.class, () -> lex(input));
    }

    static void assertAt(ConfigException e, int line, int column) {
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    }

    @Test
    void plainValueIsAKeyWithoutValue() throws Exception {
        // Go TestPlainValue
        assertEquals(List.of("KEY foo"), lex("foo"));
    }

    @Test
    void simpleKeyStringValues() throws Exception {
        // Go TestSimpleKeyStringValues: "=" with and without spaces, both quote styles, CRLF and tabs
        for (String in : List.of("foo = \"bar\"", "foo = 'bar'", "foo='bar'", "foo='bar'\r\n", "foo=\t'bar'\t")) {
            assertEquals(List.of("KEY foo", "STRING bar"), lex(in), in);
        }
    }

    @Test
    void singleQuotedStringsKeepBackslashes() throws Exception {
        // Go TestComplexStringValues: no escapes in '...'
        assertEquals(List.of("KEY foo", "STRING bar\\r\\n  \\t"), lex("foo = 'bar\\r\\n  \\t'"));
    }

    @Test
    void stringStartingWithNumber() throws Exception {
        // Go TestStringStartingWithNumber
        for (String in : List.of("foo = 3xyz", "foo = 3xyz,", "foo = 3xyz;", "\n        foo = 3xyz\n        ")) {
            assertEquals(List.of("KEY foo", "STRING 3xyz"), lex(in), in);
        }
        assertEquals(List.of("KEY map", "MAP_START", "KEY foo", "STRING 3xyz", "MAP_END"),
                lex("\n        map {\n          foo = 3xyz}\n        "));
        assertEquals(List.of("KEY map", "MAP_START", "KEY foo", "STRING 3xyz", "MAP_END"),
                lex("\n        map {\n          foo = 3xyz;\n        }\n        "));
        assertEquals(List.of("KEY map", "MAP_START", "KEY foo", "STRING 3xyz", "KEY bar", "STRING 4wqs", "MAP_END"),
                lex("\n        map {\n          foo = 3xyz,\n          bar = 4wqs\n        }\n        "));
    }

    @Test
    void hexEscapes() throws Exception {
        // Go TestBinaryString, TestBinaryStringLatin1 (a lone byte becomes its Latin-1 character here)
        assertEquals(List.of("KEY foo", "STRING e"), lex("foo = \\x65"));
        assertEquals(List.of("KEY foo", "STRING \u00e9"), lex("foo = \\xe9"));
        // bytes of consecutive escapes that form UTF-8 become that character
        assertEquals(List.of("KEY foo", "STRING \u00e9"), lex("foo = \"\\xc3\\xa9\""));
    }

    @Test
    void integers() throws Exception {
        // Go TestSimpleKeyIntegerValues, TestSimpleKeyNegativeIntegerValues
        for (String in : List.of("foo = 123", "foo=123", "foo=123\r\n")) {
            assertEquals(List.of("KEY foo", "INTEGER 123"), lex(in), in);
        }
        for (String in : List.of("foo = -123", "foo=-123", "foo=-123\r\n")) {
            assertEquals(List.of("KEY foo", "INTEGER -123"), lex(in), in);
        }
    }

    @Test
    void numbersWithSizeSuffixes() throws Exception {
        // Go TestConvenientIntegerValues
        for (String v : List.of("1k", "1K", "1m", "1M", "1g", "1G", "1MB", "1Gb", "-1m")) {
            assertEquals(List.of("KEY foo", "INTEGER " + v), lex("foo = " + v), v);
        }
        assertEquals(List.of("KEY foo", "INTEGER -1GB"), lex("foo = -1GB "));
        assertEquals(List.of("KEY foo", "STRING 1Ghz"), lex("foo = 1Ghz"));
        assertEquals(List.of("KEY foo", "STRING 2Pie"), lex("foo = 2Pie"));
        assertEquals(List.of("KEY foo", "STRING 3Mbs"), lex("foo = 3Mbs,"));
        assertEquals(List.of("KEY foo", "INTEGER 4Gb", "KEY bar", "STRING 5G\u00f8"), lex("foo = 4Gb, bar = 5G\u00f8"));
    }

    @Test
    void durationsAreNumbersOrStringsAsInGo() throws Exception {
        // The suffix letters k m g t p e make a number: 2m is the integer 2,000,000, not two minutes.
        assertEquals(List.of("KEY ping_interval", "INTEGER 2m"), lex("ping_interval: 2m"));
        // Any other letter makes a bare string: these are Go duration strings.
        for (String v : List.of("10s", "500ms", "1h30m", "100us", "2h", "100\u00b5s")) {
            assertEquals(List.of("KEY d", "STRING " + v), lex("d: " + v), v);
        }
        // 1.5s is the float 1.5 followed by junk: an error in Go too.
        ConfigException e = lexError("d: 1.5s");
        assertAt(e, 1, 7);
        assertTrue(e.reason().contains("found 's'"), e.getMessage());
        assertEquals(List.of("KEY d", "STRING 1.5s"), lex("d: \"1.5s\""));
    }

    @Test
    void floats() throws Exception {
        // Go TestSimpleKeyFloatValues
        for (String in : List.of("foo = 22.2", "foo=22.2", "foo=22.2\r\n")) {
            assertEquals(List.of("KEY foo", "FLOAT 22.2"), lex(in), in);
        }
    }

    @Test
    void badHexEscapes() {
        // Go TestBadBinaryStringEndingAfterZeroHexChars / ...OneHexChar / ...WithZeroHexChars / ...WithOneHexChar
        ConfigException e = lexError("foo = xyz\\x\n");
        assertTrue(e.reason().contains("but hit end of line"), e.getMessage());
        assertAt(e, 1, 10);
        assertTrue(lexError("foo = xyz\\xF\n").reason().contains("but hit end of line"));
        e = lexError("foo = \"[\\x]\"");
        assertTrue(e.reason().contains("but got ']\"'"), e.getMessage());
        assertAt(e, 1, 9);
        assertTrue(lexError("foo = \"[\\xe]\"").reason().contains("but got 'e]'"));
    }

    @Test
    void floatsMustStartWithADigit() {
        // Go TestBadFloatValues
        ConfigException e = lexError("foo = .2");
        assertAt(e, 1, 7);
        assertTrue(e.reason().contains("must start with a digit"), e.getMessage());
    }

    @Test
    void keyCannotStartWithASeparator() {
        // Go TestBadKey
        ConfigException e = lexError(" :foo = 22");
        assertAt(e, 1, 2);
        assertTrue(e.reason().contains("unexpected key separator ':'"), e.getMessage());
    }

    @Test
    void booleans() throws Exception {
        // Go TestSimpleKeyBoolValues; the words are matched case-insensitively
        for (String in : List.of("foo = true", "foo=true", "foo=true\r\n")) {
            assertEquals(List.of("KEY foo", "BOOL true"), lex(in), in);
        }
        for (String w : List.of("TRUE", "False", "yes", "NO", "on", "Off")) {
            assertEquals(List.of("KEY b", "BOOL " + w), lex("b: " + w), w);
        }
        assertEquals(List.of("KEY b", "STRING true"), lex("b: \"true\""));
    }

    @Test
    void comments() throws Exception {
        // Go TestComments, TestTopValuesWithComments
        assertEquals(List.of(), lex("# This is a comment"));
        assertEquals(List.of(), lex("# This is a comment\r\n"));
        assertEquals(List.of(), lex("// This is a comment\r\n"));
        assertEquals(List.of("KEY foo", "INTEGER 123"), lex("foo = 123 // This is a comment"));
        assertEquals(List.of("KEY foo", "INTEGER 123"), lex("foo=123    # This is a comment"));
    }

    @Test
    void unquotedStrings() throws Exception {
        // Go TestRawString: a quote ends a bare string
        assertEquals(List.of("KEY foo", "STRING bar"), lex("foo = bar"));
        assertEquals(List.of("KEY foo", "STRING bar"), lex("foo = bar' "));
        // '#' inside a bare word does not start a comment
        assertEquals(List.of("KEY foo", "STRING bar#baz"), lex("foo = bar#baz"));
    }

    @Test
    void dates() throws Exception {
        // Go TestDateValues
        assertEquals(List.of("KEY foo", "DATETIME 2016-05-04T18:53:41Z"), lex("foo = 2016-05-04T18:53:41Z"));
        ConfigException e = lexError("foo = 12-3");
        assertTrue(e.reason().contains("full Zulu form"), e.getMessage());
    }

    @Test
    void variables() throws Exception {
        // Go TestVariableValues
        for (String in : List.of("foo = $bar", "foo =$bar", "foo $bar")) {
            assertEquals(List.of("KEY foo", "VARIABLE bar"), lex(in), in);
        }
        // Go TestNonVariable: an escape makes it a string
        assertEquals(List.of("KEY foo", "STRING \\$var"), lex("foo = \\\\$var"));
        // inside quotes "$bar" is text
        assertEquals(List.of("KEY foo", "STRING $bar"), lex("foo = \"$bar\""));
    }

    @Test
    void arrays() throws Exception {
        // Go TestArrays
        for (String in : List.of("foo = [1, 2, 3, 'bar']", "foo = [1,2,3,'bar']", "foo = [1, 2,3,'bar']")) {
            assertEquals(List.of("KEY foo", "ARRAY_START", "INTEGER 1", "INTEGER 2", "INTEGER 3", "STRING bar",
                    "ARRAY_END"), lex(in), in);
        }
    }

    @Test
    void numberDirectlyBeforeClosingBracketIsAStringAsInGo() throws Exception {
        // Go's number states do not end a number at ']': "2]" becomes one bare string and the array stays open.
        ConfigException e = lexError("foo = [1, 2]");
        assertAt(e, 1, 13);
        assertTrue(e.reason().contains("'2]'"), e.getMessage());
        assertEquals(List.of("KEY foo", "ARRAY_START", "INTEGER 1", "INTEGER 2", "ARRAY_END"), lex("foo = [1, 2 ]"));
        assertEquals(List.of("KEY foo", "ARRAY_START", "FLOAT 1.5", "ARRAY_END"), lex("foo = [1.5]"));
    }

    @Test
    void multilineArrays() throws Exception {
        // Go TestMultilineArrays, TestMultilineArraysNoSep
        String withSeps = "\n# top level comment\nfoo = [\n 1, # One\n 2, // Two\n 3 # Three\n"
                + " 'bar'     ,\n \"bar\"\n]\n";
        String noSeps = "\n# top level comment\nfoo = [\n 1 // foo\n 2\n 3\n 'bar'\n \"bar\"\n]\n";
        List<String> expected = List.of("KEY foo", "ARRAY_START", "INTEGER 1", "INTEGER 2", "INTEGER 3",
                "STRING bar", "STRING bar", "ARRAY_END");
        assertEquals(expected, lex(withSeps));
        assertEquals(expected, lex(noSeps));
    }

    @Test
    void maps() throws Exception {
        // Go TestSimpleMap, TestMultilineMap, TestNestedMaps, TestNestedWhitespaceMaps
        assertEquals(List.of("KEY foo", "MAP_START", "KEY ip", "STRING 127.0.0.1", "KEY port", "INTEGER 4242",
                "MAP_END"), lex("foo = {ip='127.0.0.1', port = 4242}"));
        assertEquals(List.of("KEY foo", "MAP_START", "KEY ip", "STRING 127.0.0.1", "KEY port", "INTEGER 4242",
                "MAP_END"), lex("\nfoo = {\n  ip = '127.0.0.1' # the IP\n  port= 4242 // the port\n}\n"));
        List<String> nested = List.of("KEY foo", "MAP_START", "KEY host", "MAP_START", "KEY ip", "STRING 127.0.0.1",
                "KEY port", "INTEGER 4242", "MAP_END", "MAP_END");
        assertEquals(nested, lex("\nfoo = {\n  host = {\n    ip = '127.0.0.1'\n    port= 4242\n  }\n}\n"));
        assertEquals(nested, lex("\nfoo  {\n  host  {\n    ip = '127.0.0.1'\n    port= 4242\n  }\n}\n"));
    }

    @Test
    void quotedKeys() throws Exception {
        // Go TestQuotedKeys, TestQuotedKeysWithSpace, TestMapQuotedKeys, TestSpecialCharsMapQuotedKeys
        for (String in : List.of("foo : 123", "'foo' : 123", "\"foo\" : 123")) {
            assertEquals(List.of("KEY foo", "INTEGER 123"), lex(in), in);
        }
        assertEquals(List.of("KEY  foo", "INTEGER 123"), lex("' foo' : 123"));
        assertEquals(List.of("KEY  foo", "INTEGER 123"), lex("\" foo\" : 123"));
        for (String in : List.of("foo = {'bar' = 4242}", "foo = {\"bar\" = 4242}")) {
            assertEquals(List.of("KEY foo", "MAP_START", "KEY bar", "INTEGER 4242", "MAP_END"), lex(in), in);
        }
        for (String in : List.of("foo = {'bar-1.2.3' = { port:4242 }}", "foo = {\"bar-1.2.3\" = { port:4242 }}")) {
            assertEquals(List.of("KEY foo", "MAP_START", "KEY bar-1.2.3", "MAP_START", "KEY port", "INTEGER 4242",
                    "MAP_END", "MAP_END"), lex(in), in);
        }
    }

    @Test
    void keySeparators() throws Exception {
        // Go TestColonKeySep, TestWhitespaceKeySep
        for (String in : List.of("foo : 123", "foo:123", "foo: 123", "foo:  123\r\n", "foo 123", "foo\t123",
                "foo\t\t123\r\n", "foo=123", "foo = 123")) {
            assertEquals(List.of("KEY foo", "INTEGER 123"), lex(in), in);
        }
    }

    @Test
    void escapesInUnquotedAndDoubleQuotedStrings() throws Exception {
        // Go TestEscapedString, TestCompoundString*, TestNonBool, TestEmptyStringDQ/SQ
        assertEquals(List.of("KEY foo", "STRING \t", "KEY bar", "STRING \r", "KEY baz", "STRING \n", "KEY q",
                "STRING \"", "KEY bs", "STRING \\"),
                tokensKeepingWhitespace("\nfoo  = \\t\nbar  = \\r\nbaz  = \\n\nq    = \\\"\nbs   = \\\\\n"));
        assertEquals(List.of("KEY foo", "STRING \\end"), lex("foo = \"\\\\end\""));
        assertEquals(List.of("KEY foo", "STRING start\\"), lex("foo = \"start\\\\\""));
        assertEquals(List.of("KEY foo", "STRING Eq"), lex("foo = \\x45\\x71"));
        assertEquals(List.of("KEY foo", "STRING startEq"), lex("foo = start\\x45\\x71"));
        assertEquals(List.of("KEY foo", "STRING start|end"), lex("foo = start\\x7Cend"));
        assertEquals(List.of("KEY foo", "STRING <>end"), lex("foo = \\x3c\\x3eend"));
        assertEquals(List.of("KEY foo", "STRING <middle>"), lex("foo = \\x3cmiddle\\x3E"));
        assertEquals(List.of("KEY foo", "STRING \\true"), lex("foo = \\\\true"));
        assertEquals(List.of("KEY foo", "STRING"), lex("foo = \"\""));
        assertEquals(List.of("KEY foo", "STRING"), lex("foo = ''"));
    }

    /** Like {@link #lex} but without stripping, for values that are white space. */
    private static List<String> tokensKeepingWhitespace(String input) throws ConfigException {
        Lexer lx = new Lexer(new Source(null, input));
        List<String> out = new ArrayList<>();
        for (Lexer.Token t = lx.nextToken(); t.kind() != Lexer.Kind.EOF; t = lx.nextToken()) {
            out.add(t.kind() + " " + t.text());
        }
        return out;
    }

    @Test
    void badEscape() {
        // Go TestBadStringEscape; Go has no \\u escape either
        ConfigException e = lexError("foo = \\y");
        assertAt(e, 1, 7);
        assertTrue(e.reason().contains("invalid escape sequence"), e.getMessage());
        e = lexError("foo = \"\\u0041\"");
        assertAt(e, 1, 8);
    }

    @Test
    void semicolons() throws Exception {
        // Go TestOptionalSemicolons, TestSemicolonChaining
        assertEquals(List.of("KEY foo", "INTEGER 123", "KEY bar", "STRING baz", "KEY baz", "STRING boo", "KEY map",
                "MAP_START", "KEY id", "INTEGER 1", "MAP_END"),
                lex("\nfoo = 123;\nbar = 'baz';\nbaz = 'boo'\nmap {\n id = 1;\n}\n"));
        assertEquals(List.of("KEY foo", "STRING 1", "KEY bar", "FLOAT 2.2", "KEY baz", "BOOL true"),
                lex("foo='1'; bar=2.2; baz=true;"));
    }

    @Test
    void nonQuotedStrings() throws Exception {
        // Go TestNonQuotedStrings
        String in = "\nfoo = 123\nbar = baz\nbaz=boo\nmap {\n id:one\n id2 : onetwo\n}\nt true\nf false\n"
                + "tstr \"true\"\ntkey = two\nfkey = five # This should be a string\n";
        assertEquals(List.of("KEY foo", "INTEGER 123", "KEY bar", "STRING baz", "KEY baz", "STRING boo", "KEY map",
                "MAP_START", "KEY id", "STRING one", "KEY id2", "STRING onetwo", "MAP_END", "KEY t", "BOOL true",
                "KEY f", "BOOL false", "KEY tstr", "STRING true", "KEY tkey", "STRING two", "KEY fkey",
                "STRING five"), lex(in));
    }

    @Test
    void danglingQuotes() {
        // Go TestDanglingQuotedString, TestKeyDanglingQuotedString and the single-quote variants
        assertAt(lexError("\nlisten: \"localhost:4242\n\nhttp: localhost:8222\n"), 5, 1);
        assertAt(lexError("\nlisten: 'localhost:4242\n\nhttp: localhost:8222\n"), 5, 1);
        ConfigException e = lexError("\nfoo = \"\nlisten: \"\n\nhttp: localhost:8222\n\n\"\n");
        assertAt(e, 8, 1);
        assertTrue(e.reason().contains("quoted key started at line 7, column 1"), e.getMessage());
        assertAt(lexError("\nfoo = '\nlisten: '\n\nhttp: localhost:8222\n\n'\n"), 8, 1);
    }

    @Test
    void danglingBrackets() {
        // Go TestMapDanglingBracket, TestBlockDanglingParens
        ConfigException e = lexError("\nlisten = 4222\n\ncluster = {\n\n  foo = bar\n\n");
        assertAt(e, 8, 1);
        assertTrue(e.reason().contains("map opened at line 4, column 11"), e.getMessage());
        e = lexError("\nlisten = 4222\n\nquote = (\n\n  foo = bar\n\n");
        assertAt(e, 8, 1);
        assertTrue(e.reason().contains("block"), e.getMessage());
    }

    @Test
    void blocks() throws Exception {
        // Go TestBlockString, TestBlockStringMultiLine: ( ... ) up to a ')' alone on its line
        assertEquals(List.of("KEY numbers", "STRING \n1234567890\n"),
                tokensKeepingWhitespace("\nnumbers (\n1234567890\n)\n"));
        assertEquals(List.of("KEY numbers", "STRING \n  12(34)56\n  (\n    7890\n  )\n"),
                tokensKeepingWhitespace("\nnumbers (\n  12(34)56\n  (\n    7890\n  )\n)\n"));
        // At the very end of the file (Go's lexer keeps the ')' in the string there; this one does not)
        assertEquals(List.of("KEY numbers", "STRING \n1234567890\n"),
                tokensKeepingWhitespace("\nnumbers (\n1234567890\n)"));
    }

    @Test
    void unquotedAddresses() throws Exception {
        // Go TestUnquotedIPAddr
        assertEquals(List.of("KEY listen", "STRING 127.0.0.1:4222"), lex("listen: 127.0.0.1:4222"));
        assertEquals(List.of("KEY listen", "STRING 127.0.0.1"), lex("listen: 127.0.0.1"));
        assertEquals(List.of("KEY listen", "STRING apcera.me:80"), lex("listen: apcera.me:80"));
        assertEquals(List.of("KEY listen", "STRING nats.io:-1"), lex("listen: nats.io:-1"));
        assertEquals(List.of("KEY listen", "INTEGER -1"), lex("listen: -1"));
        assertEquals(List.of("KEY listen", "STRING :-1"), lex("listen: :-1"));
        assertEquals(List.of("KEY listen", "STRING :80"), lex("listen = :80"));
        assertEquals(List.of("KEY listen", "ARRAY_START", "STRING localhost:4222", "STRING localhost:4333",
                "ARRAY_END"), lex("listen = [localhost:4222, localhost:4333]"));
        assertEquals(List.of("KEY listen", "STRING 0.0.0.0:4222"), lex("listen: 0.0.0.0:4222"));
        assertEquals(List.of("KEY url", "STRING nats://host:4222"), lex("url: nats://host:4222"));
    }

    @Test
    void arrayOfMaps() throws Exception {
        // Go TestArrayOfMaps
        String in = "\nauthorization {\n    users = [\n      {user: alice, password: foo}\n"
                + "      {user: bob,   password: bar}\n    ]\n    timeout: 0.5\n}\n";
        assertEquals(List.of("KEY authorization", "MAP_START", "KEY users", "ARRAY_START", "MAP_START", "KEY user",
                "STRING alice", "KEY password", "STRING foo", "MAP_END", "MAP_START", "KEY user", "STRING bob",
                "KEY password", "STRING bar", "MAP_END", "ARRAY_END", "KEY timeout", "FLOAT 0.5", "MAP_END"), lex(in));
    }

    @Test
    void include() throws Exception {
        // Go TestInclude, TestMapInclude; the keyword is case-insensitive and needs white space after it
        for (String in : List.of("include \"users.conf\"", "include 'users.conf'", "include users.conf",
                "INCLUDE users.conf")) {
            assertEquals(List.of("INCLUDE users.conf"), lex(in), in);
        }
        for (String in : List.of("foo { include users.conf }", "foo {include users.conf}",
                "foo { include 'users.conf' }", "foo { include \"users.conf\"}")) {
            assertEquals(List.of("KEY foo", "MAP_START", "INCLUDE users.conf", "MAP_END"), lex(in), in);
        }
        // "include:" with a separator is an ordinary key
        assertEquals(List.of("KEY include", "STRING x"), lex("include: x"));
        ConfigException e = lexError("include [a]");
        assertAt(e, 1, 9);
        assertTrue(lexError("include\n x").reason().contains("new line"));
    }

    @Test
    void jsonCompatibility() throws Exception {
        // Go TestJSONCompat: a file wrapped in braces, commas at the top level
        assertEquals(List.of("KEY http_port", "INTEGER 8223", "KEY }"),
                lex("\n{\n  \"http_port\": 8223\n}\n"));
        assertEquals(List.of("KEY http_port", "INTEGER 8224", "KEY port", "INTEGER 4224"),
                lex("{\"http_port\": 8224,\"port\": 4224}\n"));
        assertEquals(List.of("KEY http_port", "INTEGER 8227", "KEY port", "INTEGER 4227", "KEY write_deadline",
                "STRING 1h", "KEY cluster", "MAP_START", "KEY port", "INTEGER 6222", "KEY routes", "ARRAY_START",
                "STRING nats://127.0.0.1:4222", "STRING nats://127.0.0.1:4223", "STRING nats://127.0.0.1:4224",
                "ARRAY_END", "MAP_END"),
                lex("{\"http_port\": 8227,\"port\": 4227,\"write_deadline\": \"1h\",\"cluster\": {\"port\": 6222,"
                        + "\"routes\": [\"nats://127.0.0.1:4222\",\"nats://127.0.0.1:4223\","
                        + "\"nats://127.0.0.1:4224\"]}}\n"));
    }

    @Test
    void valueEndErrorsPointAtTheOffendingCharacter() {
        ConfigException e = lexError("port: 4222\nhost: 127.0.0.1:4222abc\n");
        assertAt(e, 2, 21);
        assertTrue(e.reason().contains("after the value of 'host'"), e.getMessage());
        e = lexError("a {\n  b: 1 2\n}");
        assertAt(e, 2, 8);
        e = lexError("a = [1 2 x y]");
        assertAt(e, 1, 8);
        e = lexError("a: 1\n/b: 2");
        assertAt(e, 2, 1);
        e = lexError("k:\n");
        assertAt(e, 1, 3);
        assertTrue(e.reason().contains("expected a value for 'k'"), e.getMessage());
    }
}
