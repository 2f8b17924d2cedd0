package nats.transport.json;

import java.math.BigDecimal;

/** Numbers as Go's {@code encoding/json} writes them. */
public final class GoNumbers {

    private GoNumbers() {
    }

    /**
     * A {@code float64} as {@code encoding/json} writes it: the shortest decimal that reads back to the same
     * value, in plain notation unless the magnitude is below 1e-6 or at least 1e21, with no ".0" on whole
     * numbers ({@code 2}, {@code 0.8}, {@code 1e-7}, {@code 1e+21}).
     */
    public static String number(double f) {
        if (Double.isNaN(f) || Double.isInfinite(f)) {
            // Go refuses to encode these; monitoring values never are, but stay valid JSON regardless.
            return "0";
        }
        if (f == 0) {
            return (1 / f < 0) ? "-0" : "0";
        }
        double abs = Math.abs(f);
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as strconv does with -1.
        BigDecimal exact = new BigDecimal(Double.toString(f)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) {
            return exact.toPlainString();
        }
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        StringBuilder sb = new StringBuilder();
        if (f < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        // strconv writes at least two exponent digits; encoding/json then trims "e-07" to "e-7" only.
        if (e < 10 && exponent >= 0) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }
}
