package nats.server;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import nats.server.options.ServerOptions;

/** The options a running server cannot change, with the names the Go server uses when it refuses a reload. */
final class ReloadCheck {

    private record Fixed(String goName, Function<ServerOptions, Object> value) {
    }

    private static final List<Fixed> FIXED = List.of(
            new Fixed("Host", ServerOptions::host),
            new Fixed("Port", ServerOptions::port),
            new Fixed("ServerName", ServerOptions::serverName),
            new Fixed("HTTPHost", ServerOptions::httpHost),
            new Fixed("HTTPPort", ServerOptions::httpPort),
            new Fixed("HTTPSPort", ServerOptions::httpsPort),
            new Fixed("HTTPBasePath", ServerOptions::httpBasePath),
            new Fixed("LogSizeLimit", o -> o.logging().sizeLimit()),
            new Fixed("LogMaxFiles", o -> o.logging().maxFiles()),
            new Fixed("PortsFileDir", o -> o.portsFileDir().orElse(null)),
            new Fixed("PidFile", o -> o.pidFile().orElse(null)),
            new Fixed("SystemAccount", ServerOptions::systemAccount),
            new Fixed("NoSystemAccount", ServerOptions::noSystemAccount),
            new Fixed("TrustedOperators", o -> o.operator().operatorJwts()),
            new Fixed("TrustedKeys", o -> o.operator().trustedKeys()),
            new Fixed("AccountResolver", o -> o.operator().resolver()),
            new Fixed("Plugins", o -> o.enabledPlugins()),
            // Which plugin blocks there are (a plugin cannot start or stop on reload); what is in them is each
            // owning plugin's to check (ServerPlugin.checkReload).
            new Fixed("PluginSections", o -> o.effectiveSections().keySet()));

    private ReloadCheck() {
    }

    /** Go's "config reload not supported for X: old=..., new=..." for the first fixed option that changed. */
    static Optional<String> firstUnsupported(ServerOptions running, ServerOptions fresh) {
        for (Fixed f : FIXED) {
            Object old = f.value().apply(running);
            Object now = f.value().apply(fresh);
            if (!Objects.equals(old, now)) {
                return Optional.of("config reload not supported for " + f.goName() + ": old=" + old + ", new=" + now);
            }
        }
        return Optional.empty();
    }
}
