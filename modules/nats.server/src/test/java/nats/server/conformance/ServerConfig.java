package nats.server.conformance;

import java.time.Duration;

import nats.server.options.ServerOptions;

/**
 * One server configuration, expressible both as a Go {@code nats-server} config file and as jnatsd
 * {@link ServerOptions}, so the two servers are set up alike. Zero / null means "server default".
 */
record ServerConfig(String name, int maxPayload, int maxControlLine, int maxSubs, int maxConnections,
                    Duration pingInterval, int pingMax, String token, String user, String pass,
                    Duration authTimeout) {

    static ServerConfig defaults() {
        return new ServerConfig("default", 0, 0, 0, 0, null, 0, null, null, null, null);
    }

    ServerConfig named(String n) {
        return new ServerConfig(n, maxPayload, maxControlLine, maxSubs, maxConnections, pingInterval, pingMax, token,
                user, pass, authTimeout);
    }

    ServerConfig withMaxPayload(int v) {
        return new ServerConfig(name, v, maxControlLine, maxSubs, maxConnections, pingInterval, pingMax, token, user,
                pass, authTimeout);
    }

    ServerConfig withMaxControlLine(int v) {
        return new ServerConfig(name, maxPayload, v, maxSubs, maxConnections, pingInterval, pingMax, token, user,
                pass, authTimeout);
    }

    ServerConfig withMaxSubs(int v) {
        return new ServerConfig(name, maxPayload, maxControlLine, v, maxConnections, pingInterval, pingMax, token,
                user, pass, authTimeout);
    }

    ServerConfig withMaxConnections(int v) {
        return new ServerConfig(name, maxPayload, maxControlLine, maxSubs, v, pingInterval, pingMax, token, user,
                pass, authTimeout);
    }

    ServerConfig withPing(Duration interval, int max) {
        return new ServerConfig(name, maxPayload, maxControlLine, maxSubs, maxConnections, interval, max, token, user,
                pass, authTimeout);
    }

    ServerConfig withToken(String t) {
        return new ServerConfig(name, maxPayload, maxControlLine, maxSubs, maxConnections, pingInterval, pingMax, t,
                user, pass, authTimeout);
    }

    ServerConfig withUser(String u, String p) {
        return new ServerConfig(name, maxPayload, maxControlLine, maxSubs, maxConnections, pingInterval, pingMax,
                token, u, p, authTimeout);
    }

    ServerConfig withAuthTimeout(Duration timeout) {
        return new ServerConfig(name, maxPayload, maxControlLine, maxSubs, maxConnections, pingInterval, pingMax,
                token, user, pass, timeout);
    }

    /** The Go server's config file text (listening on 127.0.0.1:{@code port}). */
    String goConfig(int port) {
        StringBuilder sb = new StringBuilder();
        sb.append("listen: \"127.0.0.1:").append(port).append("\"\n");
        if (maxPayload > 0) {
            sb.append("max_payload: ").append(maxPayload).append('\n');
        }
        if (maxControlLine > 0) {
            sb.append("max_control_line: ").append(maxControlLine).append('\n');
        }
        if (maxSubs > 0) {
            sb.append("max_subscriptions: ").append(maxSubs).append('\n');
        }
        if (maxConnections > 0) {
            sb.append("max_connections: ").append(maxConnections).append('\n');
        }
        if (pingInterval != null) {
            sb.append("ping_interval: \"").append(pingInterval.toMillis()).append("ms\"\n");
        }
        if (pingMax > 0) {
            sb.append("ping_max: ").append(pingMax).append('\n');
        }
        if (token != null || user != null) {
            sb.append("authorization {\n");
            if (token != null) {
                sb.append("  token: \"").append(token).append("\"\n");
            } else {
                sb.append("  user: \"").append(user).append("\"\n  password: \"").append(pass).append("\"\n");
            }
            if (authTimeout != null) {
                sb.append("  timeout: ").append(authTimeout.toMillis() / 1000.0).append('\n');
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    ServerOptions javaOptions() {
        ServerOptions o = new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT);
        if (maxPayload > 0) {
            o.maxPayload(maxPayload);
        }
        if (maxControlLine > 0) {
            o.maxControlLine(maxControlLine);
        }
        if (maxSubs > 0) {
            o.maxSubscriptions(maxSubs);
        }
        if (maxConnections > 0) {
            o.maxConnections(maxConnections);
        }
        if (pingInterval != null) {
            o.pingInterval(pingInterval);
        }
        if (pingMax > 0) {
            o.maxPingsOut(pingMax);
        }
        if (authTimeout != null) {
            o.authTimeout(authTimeout);
        }
        if (token != null) {
            o.authToken(token);
        } else if (user != null) {
            o.username(user).password(pass);
        }
        return o;
    }
}
