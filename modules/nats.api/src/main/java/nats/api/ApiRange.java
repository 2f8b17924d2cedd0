package nats.api;

/**
 * The range of kernel API versions a plugin works with: at least {@code minimum} and below the next major
 * version of {@code minimum}, the usual semantic-versioning promise.
 *
 * @param minimum oldest API version with everything the plugin uses
 */
public record ApiRange(ApiVersion minimum) {

    /** A plugin built against the API it is compiled with. */
    public static ApiRange current() {
        return new ApiRange(ApiVersion.CURRENT);
    }

    /** Parses a minimum such as {@code 1.0}. */
    public static ApiRange atLeast(String minimum) {
        return new ApiRange(ApiVersion.parse(minimum));
    }

    /** Whether a kernel offering {@code offered} can run the plugin. */
    public boolean accepts(ApiVersion offered) {
        return offered.major() == minimum.major() && offered.compareTo(minimum) >= 0;
    }

    @Override
    public String toString() {
        return "[" + minimum + ", " + (minimum.major() + 1) + ".0)";
    }
}
