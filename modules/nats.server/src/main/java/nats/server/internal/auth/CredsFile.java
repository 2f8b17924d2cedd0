package nats.server.internal.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .creds} file: a user JWT and its nkey seed, each between dashed marker lines
 * ({@code -----BEGIN NATS USER JWT-----} ... {@code ------END NATS USER JWT------}). The patterns are Go's;
 * UNIX_LINES makes '.' stop at LF only, and {@code [\t\n\f\r ]} is Go's {@code \s}.
 *
 * @param jwt the first decorated block, not yet decoded
 * @param nkey the pair of the second block's seed
 */
public record CredsFile(String jwt, NKeyPair nkey) {

    /** nats-server 2.9.10 {@code credsRe} (leafnode.go), which reads the credentials of remote leafnodes. */
    private static final Pattern BLOCK = Pattern.compile(
            "[\\t\\n\\f\\r ]*(?:(?:-{3,}[^\\n]*-{3,}\\n)(.+)(?:\\n[\\t\\n\\f\\r ]*-{3,}[^\\n]*-{3,}\\n))",
            Pattern.UNIX_LINES);

    /** jwt v2.3.0 {@code userConfigRE}, which {@code ParseDecoratedJWT} uses for JWT files. */
    private static final Pattern DECORATED_JWT = Pattern.compile(
            "[\\t\\n\\f\\r ]*(?:(?:-{3,}.*-{3,}\\r?\\n)([\\w\\-.=]+)(?:\\r?\\n-{3,}.*-{3,}(\\r?\\n|\\z)))",
            Pattern.UNIX_LINES);

    /**
     * Reads a creds file as the server does for its leafnode remotes: a JWT block, then a seed block. Fewer
     * than two blocks, or a bad seed, is an {@link NKeyException}; the JWT is left for {@link Jwt#decode}.
     */
    public static CredsFile parse(String contents) {
        List<String> blocks = blocks(BLOCK, contents);
        if (blocks.size() < 2) {
            throw new NKeyException("credentials file malformed");
        }
        return new CredsFile(blocks.get(0), NKeyPair.fromSeed(blocks.get(1)));
    }

    /** The JWT of a decorated file, or the whole contents when nothing is decorated (Go's ParseDecoratedJWT). */
    public static String decoratedJwt(String contents) {
        List<String> blocks = blocks(DECORATED_JWT, contents);
        return blocks.isEmpty() ? contents : blocks.get(0);
    }

    private static List<String> blocks(Pattern pattern, String contents) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = pattern.matcher(contents);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    @Override
    public String toString() {
        return "CredsFile[" + nkey + "]";
    }
}
