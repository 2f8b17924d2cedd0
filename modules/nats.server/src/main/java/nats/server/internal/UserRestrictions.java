package nats.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import nats.server.internal.auth.UserPermissionLimits;

/** Where and when a JWT user may connect: source networks ({@code src}) and daily windows ({@code times}). */
final class UserRestrictions {

    private UserRestrictions() {
    }

    /** Go's validateSrc: no list allows all; otherwise the client's address must be in one of the CIDRs. */
    static boolean sourceAllowed(List<String> cidrs, String clientIp) {
        if (cidrs.isEmpty()) {
            return true;
        }
        byte[] address;
        try {
            address = InetAddress.getByName(clientIp).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (String cidr : cidrs) {
            if (!inCidr(address, cidr.strip())) {
                continue;
            }
            return true;
        }
        return false;
    }

    private static boolean inCidr(byte[] address, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false; // Go's ParseCIDR needs a prefix length
        }
        byte[] network;
        int bits;
        try {
            network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
        if (network.length != address.length || bits < 0 || bits > network.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Go's validateTimes: with no windows, 0 (no deadline); inside a window, the Unix second it ends (the
     * connection is closed then); outside every window, -1. Windows are "HH:MM:SS" in {@code locale} (the
     * server's zone when empty); a window whose start is after its end runs past midnight.
     */
    static long connectWindowEnd(List<UserPermissionLimits.TimeRange> times, String locale, Instant now) {
        if (times.isEmpty()) {
            return 0;
        }
        ZoneId zone;
        try {
            zone = locale == null || locale.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(locale);
        } catch (DateTimeException e) {
            return -1;
        }
        ZonedDateTime local = now.atZone(zone);
        for (UserPermissionLimits.TimeRange range : times) {
            LocalTime start;
            LocalTime end;
            try {
                start = LocalTime.parse(range.start());
                end = LocalTime.parse(range.end());
            } catch (DateTimeException e) {
                return -1;
            }
            ZonedDateTime from = local.with(start);
            ZonedDateTime to = local.with(end);
            if (start.isAfter(end)) {
                to = to.plusDays(1);
            }
            if (from.isBefore(local) && to.isAfter(local)) {
                return to.toEpochSecond();
            }
        }
        return -1;
    }
}
