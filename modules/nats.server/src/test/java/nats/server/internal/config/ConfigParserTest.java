package nats.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsed values, pinned to the Go server's {@code conf/parse_test.go}; each test names the Go behaviour. */
class ConfigParserTest {

    private static final Function<String, String> NO_ENV = name -> null;

    @TempDir
    Path dir;

    static Map<String, Object> parse(String text) throws ConfigException {
        return ConfigParser.parseString(text, null, NO_ENV);
    }

    static Map<String, Object> parse(String text, Map<String, String> env) throws ConfigException {
        return ConfigParser.parseString(text, null, env::get);
    }

    static ConfigException parseError(String text) {
        return assertThrows(ConfigException.class, () -> parse(text));
    }

    static void assertAt(ConfigException e, int line, int column) {
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    // ---- values ----------------------------------------------------------------------------------------------

    @Test
    void simpleTopLevel() throws Exception {
        // Go TestSimpleTopLevel
        assertEquals(Map.of("foo", "1", "bar", 2.2, "baz", true, "boo", 22L),
                parse("foo='1'; bar=2.2; baz=true; boo=22"));
    }

    @Test
    void allKeyValueSeparators() throws Exception {
        // key value, key = value, key: value, key=value
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 3L, "d", 4L, "e", 5L), parse("a 1\nb = 2\nc: 3\nd=4\ne:5"));
    }

    @Test
    void bools() throws Exception {
        // Go TestBools, plus the false words
        for (String w : List.of("true", "TRUE", "yes", "on", "Yes", "ON")) {
            assertEquals(Map.of("foo", true), parse("foo=" + w), w);
        }
        for (String w : List.of("false", "FALSE", "no", "off", "No", "Off")) {
            assertEquals(Map.of("foo", false), parse("foo=" + w), w);
        }
    }

    @Test
    void integersFloatsAndNegativeNumbers() throws Exception {
        assertEquals(Map.of("port", -1L, "n", 0L, "big", 9223372036854775807L, "f", 0.5, "g", -2.25),
                parse("port: -1\nn: 0\nbig: 9223372036854775807\nf: 0.5\ng: -2.25"));
        ConfigException e = parseError("x: 9223372036854775808");
        assertTrue(e.reason().contains("out of the range"), e.getMessage());
        assertAt(e, 1, 4);
    }

    @Test
    void sizeSuffixes() throws Exception {
        // Go TestConvenientNumbers: k/m/g/t/p/e are powers of 1000, *b/*i/*ib powers of 1024, any case
        String text = "k = 8k\nkb = 4kb\nki = 3ki\nkib = 4ki\nm = 1m\nmb = 2MB\nmi = 2Mi\nmib = 64MiB\ng = 2g\n"
                + "gb = 22GB\ngi = 22Gi\ngib = 22GiB\ntb = 22TB\nti = 22Ti\ntib = 22TiB\npb = 22PB\npi = 22Pi\n"
                + "pib = 22PiB\nK = 1K\nKB = 1KB\nT = 1t\nE = 1e\nEB = 1EB\nneg = -1GB";
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("k", 8_000L);
        expected.put("kb", 4L * 1024);
        expected.put("ki", 3L * 1024);
        expected.put("kib", 4L * 1024);
        expected.put("m", 1_000_000L);
        expected.put("mb", 2L << 20);
        expected.put("mi", 2L << 20);
        expected.put("mib", 64L << 20);
        expected.put("g", 2_000_000_000L);
        expected.put("gb", 22L << 30);
        expected.put("gi", 22L << 30);
        expected.put("gib", 22L << 30);
        expected.put("tb", 22L << 40);
        expected.put("ti", 22L << 40);
        expected.put("tib", 22L << 40);
        expected.put("pb", 22L << 50);
        expected.put("pi", 22L << 50);
        expected.put("pib", 22L << 50);
        expected.put("K", 1_000L);
        expected.put("KB", 1_024L);
        expected.put("T", 1_000_000_000_000L);
        expected.put("E", 1_000_000_000_000_000_000L);
        expected.put("EB", 1L << 60);
        expected.put("neg", -(1L << 30));
        assertEquals(expected, parse(text));
        // Go accepts any run of b/i after the letter but only knows the suffixes above; this parser says so
        ConfigException e = parseError("x = 1kbi");
        assertTrue(e.reason().contains("unknown size suffix 'kbi'"), e.getMessage());
        // Go would overflow silently; this parser refuses
        assertTrue(parseError("x = 8EB").reason().contains("out of the range"));
    }

    @Test
    void durationsStayStringsExceptWhenTheyLookLikeSizes() throws Exception {
        Map<String, Object> m = parse("a: 2m\nb: \"2m\"\nc: 500ms\nd: 1h30m\ne: 10s\nf: '1.5s'\ng: 100us");
        assertEquals(2_000_000L, m.get("a"), "unquoted 2m is the number two million, as in Go");
        assertEquals("2m", m.get("b"));
        assertEquals("500ms", m.get("c"));
        assertEquals("1h30m", m.get("d"));
        assertEquals("10s", m.get("e"));
        assertEquals("1.5s", m.get("f"));
        assertEquals("100us", m.get("g"));
    }

    @Test
    void quotedStringsAndEscapes() throws Exception {
        // Go TestSample3: single quotes are raw and may span lines
        assertEquals(Map.of("foo", Map.of("expr", "(true == \"false\")", "text", "This is a multi-line\ntext block.")),
                parse("\nfoo  {\n  expr = '(true == \"false\")'\n  text = 'This is a multi-line\ntext block.'\n}\n"));
        assertEquals(Map.of("s", "tab\there \"q\" back\\slash\nnl\rcr", "r", "raw\\t"),
                parse("s: \"tab\\there \\\"q\\\" back\\\\slash\\nnl\\rcr\"\nr: 'raw\\t'"));
        assertEquals(Map.of("k", "v"), parse("\"k\" = \"v\""));
    }

    @Test
    void bareStringsWithColonsAndSlashes() throws Exception {
        assertEquals(Map.of("host", "127.0.0.1", "listen", "0.0.0.0:4222", "url", "nats://host:4222",
                "name", "my-server_1"),
                parse("host: 127.0.0.1\nlisten: 0.0.0.0:4222\nurl: nats://host:4222\nname: my-server_1"));
    }

    @Test
    void dates() throws Exception {
        // Go TestSample5
        assertEquals(Map.of("now", Instant.parse("2016-05-04T18:53:41Z"), "gmt", false),
                parse("\n  now = 2016-05-04T18:53:41Z\n  gmt = false\n\n"));
        ConfigException e = parseError("d = 2016-02-30T00:00:00Z");
        assertTrue(e.reason().contains("expected Zulu formatted DateTime"), e.getMessage());
    }

    @Test
    void nestedMapsAndArrays() throws Exception {
        // Go TestSample1, TestSample4
        assertEquals(Map.of("foo", Map.of("host", Map.of("ip", "127.0.0.1", "port", 4242L),
                        "servers", List.of("a.com", "b.com", "c.com"))),
                parse("\nfoo  {\n  host {\n    ip   = '127.0.0.1'\n    port = 4242\n  }\n"
                        + "  servers = [ \"a.com\", \"b.com\", \"c.com\"]\n}\n"));
        assertEquals(Map.of("array", List.of(Map.of("abc", 123L), Map.of("xyz", "word"))),
                parse("\n  array [\n    { abc: 123 }\n    { xyz: \"word\" }\n  ]\n"));
        assertEquals(Map.of("a", Map.of("b", Map.of("c", List.of(List.of(1L, 2L), List.of()))), "e", Map.of()),
                parse("a = { b { c: [[1\n2\n], []] } }\ne {}"));
    }

    @Test
    void clusterSample() throws Exception {
        // Go TestSample2: both comment styles, routes one per line with no commas
        String text = "\ncluster {\n  port: 4244\n\n  authorization {\n    user: route_user\n"
                + "    password: top_secret\n    timeout: 1\n  }\n\n  # Routes are actively solicited\n\n"
                + "  // Test both styles of comments\n\n  routes = [\n    nats-route://foo:bar@apcera.me:4245\n"
                + "    nats-route://foo:bar@apcera.me:4246\n  ]\n}\n";
        assertEquals(Map.of("cluster", Map.of("port", 4244L,
                "authorization", Map.of("user", "route_user", "password", "top_secret", "timeout", 1L),
                "routes", List.of("nats-route://foo:bar@apcera.me:4245", "nats-route://foo:bar@apcera.me:4246"))),
                parse(text));
    }

    @Test
    void blockString() throws Exception {
        assertEquals(Map.of("numbers", "\n1234567890\n"), parse("\nnumbers (\n1234567890\n)\n"));
    }

    @Test
    void keysKeepTheirSpellingAndOrder() throws Exception {
        Map<String, Object> m = parse("Port: 1\nzeta: 2\nAlpha { B: 1, a: 2 }\nport: 3");
        assertEquals(List.of("Port", "zeta", "Alpha", "port"), new ArrayList<>(m.keySet()));
        assertEquals(List.of("B", "a"), new ArrayList<>(((Map<?, ?>) m.get("Alpha")).keySet()));
        assertInstanceOf(LinkedHashMap.class, m);
        assertInstanceOf(LinkedHashMap.class, m.get("Alpha"));
        // A redefined key takes the later value (and moves to the end)
        Map<String, Object> r = parse("a: 1\nb: 2\na: 3");
        assertEquals(List.of("b", "a"), new ArrayList<>(r.keySet()));
        assertEquals(3L, r.get("a"));
    }

    @Test
    void caseInsensitiveGet() throws Exception {
        Map<String, Object> m = parse("Max_Payload: 1MB\nauthorization { USER: a }");
        assertEquals(1L << 20, ConfigParser.get(m, "max_payload"));
        assertEquals("a", ConfigParser.get(map(ConfigParser.get(m, "AUTHORIZATION")), "user"));
        assertNull(ConfigParser.get(m, "missing"));
        // the spelling defined last wins
        assertEquals(3L, ConfigParser.get(parse("port: 1\nPORT: 3"), "Port"));
    }

    @Test
    void jsonStyleFiles() throws Exception {
        // Go TestJSONCompat / TestJSONParseCompat / TestParseWithTrailingBracketsAreValid
        assertEquals(Map.of("http_port", 8227L, "port", 4227L, "write_deadline", "1h",
                        "cluster", Map.of("port", 6222L, "routes", List.of("nats://127.0.0.1:4222",
                                "nats://127.0.0.1:4223", "nats://127.0.0.1:4224"))),
                parse("\n{\n  \"http_port\": 8227,\n  \"port\": 4227,\n  \"write_deadline\": \"1h\",\n"
                        + "  \"cluster\": {\n    \"port\": 6222,\n    \"routes\": [\n"
                        + "      \"nats://127.0.0.1:4222\",\n      \"nats://127.0.0.1:4223\",\n"
                        + "      \"nats://127.0.0.1:4224\"\n    ]\n  }\n}\n"));
        assertEquals(Map.of("jetstream", Map.of("store_dir", "/tmp/nats", "max_mem", 1_000_000L), "port", 4222L,
                        "server_name", "nats1"),
                parse("{\n  \"jetstream\": {\n    \"store_dir\": \"/tmp/nats\"\n    \"max_mem\": 1000000,\n  },\n"
                        + "  \"port\": 4222,\n  \"server_name\": \"nats1\"\n}\n"));
        assertEquals(Map.of(), parse("{}"));
        assertEquals(Map.of(), parse("\n{\n# comments in the body\n}\n"));
        assertEquals(Map.of("accounts", Map.of("users", List.of(Map.of()))), parse("\naccounts { users = [{}]}\n}\n"));
        assertEquals(Map.of("listen", "0.0.0.0:4222"), parse("{ listen: 0.0.0.0:4222 }"));
    }

    @Test
    void emptyConfigurationsAreValid() throws Exception {
        // Go TestParseWithNoValuesEmptyConfigsAreValid
        assertEquals(Map.of(), parse(""));
        assertEquals(Map.of(), parse("\n\n\n    "));
        assertEquals(Map.of(), parse("\n  # just comments with no values\n  // is still valid.\n"));
    }

    @Test
    void keysWithoutValuesAreErrors() {
        // Go TestParseWithNoValuesAreInvalid (current Go; v2.9.10 silently dropped such keys)
        assertAt(parseError("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 1, 1);
        assertAt(parseError("              aaaaaaaaaaaaaaaaaaaaaaaaaaa"), 1, 15);
        assertAt(parseError("\n  # with comments\n  # is also invalid.\n  aaaaaaaaaaaaaa\n"), 4, 3);
        ConfigException e = parseError("\n   a,a,a,a,a,a,a,a,a,a,a\n");
        assertAt(e, 2, 4);
        assertTrue(e.reason().contains("has no value"), e.getMessage());
        // Go v2.9.10 attaches the enclosing map to the dangling key; this parser refuses
        assertAt(parseError("a {\n  b\n}"), 2, 3);
    }

    @Test
    void semicolonsAndCommasSeparateValues() throws Exception {
        assertEquals(Map.of("a", 1L, "b", 2L, "c", Map.of("d", 3L, "e", 4L, "f", 5L)),
                parse("a: 1; b: 2\nc { d: 3; e: 4, f: 5 }"));
    }

    // ---- variables -------------------------------------------------------------------------------------------

    @Test
    void variablesFromEarlierKeys() throws Exception {
        // Go TestSimpleVariable, TestNestedVariable: innermost block first, then enclosing blocks
        assertEquals(Map.of("index", 22L, "foo", 22L), parse("\n  index = 22\n  foo = $index\n"));
        assertEquals(Map.of("index", 22L, "nest", Map.of("index", 11L, "foo", 11L), "bar", 22L),
                parse("\n  index = 22\n  nest {\n    index = 11\n    foo = $index\n  }\n  bar = $index\n"));
        assertEquals(Map.of("a", Map.of("x", 1L), "b", List.of(Map.of("x", 1L), "s")),
                parse("a { x: 1 }\nb: [$a, s]"));
        // variable names are case-sensitive, unlike option names
        assertTrue(parseError("Index = 1\nfoo = $index").reason().contains("can not be found"));
    }

    @Test
    void missingVariable() {
        // Go TestMissingVariable: Go's message text
        ConfigException e = parseError("\nfoo=$index");
        assertEquals("variable reference for 'index' on line 2 can not be found", e.reason());
        assertAt(e, 2, 5);
    }

    @Test
    void variablesFromTheEnvironment() throws Exception {
        // Go TestEnvVariable*: the value is parsed as a value would be
        assertEquals(Map.of("foo", 22L), parse("foo = $__UNIQ22__", Map.of("__UNIQ22__", "22")));
        assertEquals(Map.of("foo", "xyz"), parse("foo = $__UNIQ22__", Map.of("__UNIQ22__", "xyz")));
        assertEquals(Map.of("foo", "3xyz"), parse("foo = $__UNIQ22__", Map.of("__UNIQ22__", "3xyz")));
        assertEquals(Map.of("foo", "3Gyz"), parse("foo = $__UNIQ22__", Map.of("__UNIQ22__", "3Gyz")));
        assertEquals(Map.of("foo", "3xyz"), parse("foo = $__UNIQ22__", Map.of("__UNIQ22__", "'3xyz'")));
        assertEquals(Map.of("foo", 1024L), parse("foo = $SIZE", Map.of("SIZE", "1KB")));
        assertEquals(Map.of("foo", List.of(1L, "a")), parse("foo = $L", Map.of("L", "[1, a, ]")));
        // a key defined in the file wins over the environment
        assertEquals(Map.of("X", 1L, "y", 1L), parse("X: 1\ny: $X", Map.of("X", "2")));
        // environment values may refer to other environment variables
        assertEquals(Map.of("foo", "deep"), parse("foo = $A", Map.of("A", "$B", "B", "deep")));
    }

    @Test
    void environmentReferenceCyclesAreErrors() {
        // current Go: "variable reference cycle"; v2.9.10 recursed until the stack overflowed
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("foo = $A", Map.of("A", "$B", "B", "$A")));
        assertTrue(e.reason().contains("variable reference cycle for 'A'"), e.getMessage());
        assertAt(e, 1, 7);
        e = assertThrows(ConfigException.class, () -> parse("foo = $SELF", Map.of("SELF", "$SELF")));
        assertTrue(e.reason().contains("cycle"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("foo = $BAD", Map.of("BAD", "\"open")));
        assertTrue(e.reason().startsWith("variable reference for 'BAD' on line 1 could not be parsed"), e.getMessage());
    }

    @Test
    void realEnvironmentVariable() throws Exception {
        String home = System.getenv("HOME");
        assumeTrue(home != null && home.startsWith("/") && !home.contains(" "), "HOME is a plain path");
        assertEquals(Map.of("dir", home), ConfigParser.parseString("dir = $HOME", null));
        assertEquals(Map.of("dir", "$HOME"), ConfigParser.parseString("dir = \"$HOME\"", null));
    }

    @Test
    void quotedDollarIsText() throws Exception {
        // In Go only an unquoted $name is a reference
        assertEquals(Map.of("a", "$x", "b", "$x", "c", "pre$x"), parse("a: \"$x\"\nb: '$x'\nc: pre$x"));
    }

    @Test
    void bcryptHashesAreNotVariables() throws Exception {
        // Go TestBcryptVariable
        assertEquals(Map.of("password", "$2a$11$ooo"), parse("password: $2a$11$ooo"));
    }

    @Test
    void keysUsedAsVariablesAreRecorded() throws Exception {
        ConfigMap m = (ConfigMap) parse("PASS: secret\nauthorization { password: $PASS }\nUNUSED: 1");
        assertTrue(m.usedAsVariable("PASS"));
        assertFalse(m.usedAsVariable("UNUSED"));
    }

    // ---- includes --------------------------------------------------------------------------------------------

    @Test
    void includesMergeIntoTheCurrentBlock() throws Exception {
        // Go TestIncludes with Go's simple.conf, includes/users.conf and includes/passwords.conf
        write("includes/passwords.conf", "# Just foo & bar for testing\n"
                + "ALICE_PASS: $2a$10$UHR6GhotWhpLsKtVP0/i6.Nh9.fuY73cWjLoJjb2sKT8KISBcUW5q\n"
                + "BOB_PASS: $2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly\n");
        write("includes/users.conf", "# Users configuration\n\ninclude ./passwords.conf;\n\nusers = [\n"
                + "  {user: alice, password: $ALICE_PASS}\n  {user: bob,   password: $BOB_PASS}\n]\n");
        Path main = write("simple.conf", "listen: 127.0.0.1:4222\n\nauthorization {\n"
                + "  include 'includes/users.conf' # Pull in from file\n  timeout: 0.5\n}\n");
        String alice = "$2a$10$UHR6GhotWhpLsKtVP0/i6.Nh9.fuY73cWjLoJjb2sKT8KISBcUW5q";
        String bob = "$2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly";
        assertEquals(Map.of("listen", "127.0.0.1:4222", "authorization", Map.of("ALICE_PASS", alice,
                        "BOB_PASS", bob, "users", List.of(Map.of("user", "alice", "password", alice),
                                Map.of("user", "bob", "password", bob)), "timeout", 0.5)),
                ConfigParser.parse(main));
    }

    @Test
    void includedKeysKeepTheirOwnPositions() throws Exception {
        // Go TestIncludeVariablesWithChecks
        write("includes/passwords.conf",
                "# Just foo & bar for testing\nALICE_PASS: $2a$10$abc\nBOB_PASS: $2a$11$def\n");
        Path main = write("main.conf", "\nauthorization {\n\n  include \"./includes/passwords.conf\"\n\n"
                + "  CAROL_PASS: foo\n\n  users = [\n   {user: alice, password: $ALICE_PASS}\n"
                + "   {user: bob,   password: $BOB_PASS}\n   {user: carol, password: $CAROL_PASS}\n  ]\n}\n");
        ConfigMap auth = (ConfigMap) ConfigParser.parse(main).get("authorization");
        ConfigMap.Origin alice = auth.origin("ALICE_PASS").orElseThrow();
        assertEquals(dir.resolve("includes/passwords.conf").toAbsolutePath().normalize(),
                alice.file().toAbsolutePath().normalize());
        assertEquals(2, alice.line());
        assertEquals(1, alice.column());
        assertEquals(3, auth.origin("BOB_PASS").orElseThrow().line());
        ConfigMap.Origin carol = auth.origin("CAROL_PASS").orElseThrow();
        assertEquals(6, carol.line());
        assertEquals(3, carol.column());
        assertEquals(main, carol.file());
        assertTrue(auth.usedAsVariable("ALICE_PASS") && auth.usedAsVariable("CAROL_PASS"));
    }

    @Test
    void includeIsRelativeToTheIncludingFile() throws Exception {
        write("conf/sub/leaf.conf", "port: 4333");
        write("conf/mid.conf", "include sub/leaf.conf\nhost: h");
        Path main = write("conf/main.conf", "include mid.conf\nname: n");
        assertEquals(Map.of("port", 4333L, "host", "h", "name", "n"), ConfigParser.parse(main));
        // parseString resolves includes against the given directory
        assertEquals(Map.of("port", 4333L, "x", 1L),
                ConfigParser.parseString("x: 1\ninclude \"sub/leaf.conf\"", dir.resolve("conf")));
    }

    @Test
    void includeInsideABlockAndLaterKeysOverride() throws Exception {
        write("acct.conf", "users: [{user: a}]\nlimit: 1");
        Path main = write("main.conf", "accounts {\n  A { include acct.conf; limit: 2 }\n}");
        assertEquals(Map.of("accounts", Map.of("A", Map.of("users", List.of(Map.of("user", "a")), "limit", 2L))),
                ConfigParser.parse(main));
    }

    @Test
    void includedFilesDoNotSeeTheIncludersVariables() throws Exception {
        // Go parses an included file on its own
        write("inc.conf", "y: $X");
        Path main = write("main.conf", "X: 1\ninclude inc.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(main, NO_ENV));
        assertTrue(e.reason().contains("variable reference for 'X' on line 1 can not be found"), e.getMessage());
        assertEquals(dir.resolve("inc.conf"), e.file().orElseThrow());
        assertTrue(e.reason().contains("included at " + main + ":2:9"), e.getMessage());
    }

    @Test
    void errorsInIncludedFilesNameThatFile() throws Exception {
        // Go TestParseWithNoValuesIncludes
        write("quux.conf", "?????????????");
        write("foo.conf", "");
        Path main = write("nats.conf", "# includes\naccounts {\n  foo { include 'foo.conf'}\n"
                + "  quux { include 'quux.conf'}\n}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(main));
        assertEquals(dir.resolve("quux.conf"), e.file().orElseThrow());
        assertEquals(1, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().startsWith(dir.resolve("quux.conf") + ":1:1: "), e.getMessage());
    }

    @Test
    void missingIncludeFile() throws Exception {
        Path main = write("main.conf", "port: 1\n  include nothere.conf\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(main));
        assertEquals(main, e.file().orElseThrow());
        assertAt(e, 2, 11);
        assertTrue(e.reason().contains("cannot read include file 'nothere.conf'"), e.getMessage());
    }

    @Test
    void includeCyclesAreErrors() throws Exception {
        write("a.conf", "include b.conf");
        write("b.conf", "x: 1\ninclude a.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(dir.resolve("a.conf")));
        assertTrue(e.reason().contains("include cycle"), e.getMessage());
        assertEquals(dir.resolve("b.conf"), e.file().orElseThrow());
        assertAt(e, 2, 9);
        write("self.conf", "include self.conf");
        assertThrows(ConfigException.class, () -> ConfigParser.parse(dir.resolve("self.conf")));
    }

    @Test
    void unreadableFile() {
        Path missing = dir.resolve("missing.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(missing));
        assertEquals(missing, e.file().orElseThrow());
        assertEquals(0, e.line());
        assertTrue(e.getMessage().startsWith(missing + ": cannot read configuration file"), e.getMessage());
    }

    @Test
    void byteOrderMarkAndMalformedUtf8() throws Exception {
        Path p = dir.resolve("bom.conf");
        Files.write(p, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', ':', ' ', '1', '\n', 'b', ':', ' ',
                (byte) 0xFF, '\n'});
        assertEquals(Map.of("a", 1L, "b", "\uFFFD"), ConfigParser.parse(p));
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    @Test
    void errorsNameFileLineAndColumn() throws Exception {
        Path p = write("bad.conf", "port: 4222\n\ncluster {\n  listen: 0.0.0.0:6222\n  routes = [\n"
                + "    nats://a:6222\n    nats://b:6222,,\n  ]\n}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(p));
        assertEquals(p, e.file().orElseThrow());
        assertAt(e, 7, 19);
        assertEquals(p + ":7:19: " + e.reason(), e.getMessage());
        assertTrue(e.reason().contains("unexpected ',' in an array"), e.getMessage());
    }

    @Test
    void errorPositions() {
        assertAt(parseError("a: 1\nb: \"unterminated\n"), 3, 1);
        assertAt(parseError("a: [1, 2,\n"), 2, 1);
        assertAt(parseError("a {\n  b: 1\n"), 3, 1);
        assertAt(parseError("a: 1\nb: 2 3\n"), 2, 6);
        assertAt(parseError("x = \"a\\qb\""), 1, 7);
        assertAt(parseError("  \u00e9t\u00e9: .5"), 1, 8);
        ConfigException e = parseError("a: x\u0000y");
        assertAt(e, 1, 5);
        assertTrue(e.reason().contains("NUL"), e.getMessage());
    }

    @Test
    void goInfiniteLoopRegressions() {
        // Go TestParserNoInfiniteLoop
        for (String in : List.of("A@@F\u00f8\u00f8\u00f8\u00f8?\u02db\u00f8:{\u00f8\u00f8\u00f8\u00f8\u02d9\u02d9",
                "include \"9/\ufffd")) {
            ConfigException e = parseError(in);
            assertTrue(e.reason().contains("unexpected end of file"), e.getMessage());
        }
    }

    // ---- durations -------------------------------------------------------------------------------------------

    @Test
    void parseDurationAcceptsGoDurationStrings() {
        assertEquals(Duration.ofMillis(500), ConfigParser.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(2), ConfigParser.parseDuration("2m"));
        assertEquals(Duration.ofMinutes(90), ConfigParser.parseDuration("1h30m"));
        assertEquals(Duration.ofSeconds(10), ConfigParser.parseDuration("10s"));
        assertEquals(Duration.ofMillis(1500), ConfigParser.parseDuration("1.5s"));
        assertEquals(Duration.ofNanos(100_000), ConfigParser.parseDuration("100us"));
        assertEquals(Duration.ofNanos(100_000), ConfigParser.parseDuration("100\u00b5s"));
        assertEquals(Duration.ofNanos(100_000), ConfigParser.parseDuration("100\u03bcs"));
        assertEquals(Duration.ofNanos(7), ConfigParser.parseDuration("7ns"));
        assertEquals(Duration.ZERO, ConfigParser.parseDuration("0"));
        assertEquals(Duration.ofMillis(-1500), ConfigParser.parseDuration("-1.5s"));
        assertEquals(Duration.ofMillis(500), ConfigParser.parseDuration(".5s"));
        assertEquals(Duration.ofHours(2).plusMinutes(45).plusMillis(500), ConfigParser.parseDuration("2h45m0.5s"));
    }

    @Test
    void parseDurationAcceptsSeconds() {
        assertEquals(Duration.ofSeconds(2), ConfigParser.parseDuration(2L));
        assertEquals(Duration.ofMillis(500), ConfigParser.parseDuration(0.5));
    }

    @Test
    void parseDurationRejectsWithGoMessages() {
        assertEquals("time: missing unit in duration \"10\"",
                assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseDuration("10")).getMessage());
        assertEquals("time: unknown unit \"d\" in duration \"1d\"",
                assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseDuration("1d")).getMessage());
        assertEquals("time: invalid duration \"\"",
                assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseDuration("")).getMessage());
        for (String bad : List.of(".", "-", "1.5.5s", "s", "1s ", "99999999999h")) {
            assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseDuration(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseDuration(true));
        assertThrows(IllegalArgumentException.class, () -> ConfigParser.parseDuration(null));
    }
}
