package nats.api;

/**
 * A version of the kernel's plugin API. Minor versions only add; a major version change breaks plugins.
 *
 * @param major incompatible changes
 * @param minor compatible additions
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The API version this build of {@code nats.api} offers. */
    public static final ApiVersion CURRENT = new ApiVersion(2, 5);

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("API version parts must not be negative: " + major + "." + minor);
        }
    }

    /** Parses {@code MAJOR.MINOR}. */
    public static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            if (dot < 0) {
                return new ApiVersion(Integer.parseInt(text.trim()), 0);
            }
            return new ApiVersion(Integer.parseInt(text.substring(0, dot).trim()),
                    Integer.parseInt(text.substring(dot + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an API version (MAJOR.MINOR): " + text, e);
        }
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
