package nats.server.internal.plugin;

import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import nats.api.ServerSettings;
import nats.server.options.ServerOptions;

/** The server-wide settings as plugins read them, following reloads. */
final class KernelSettings implements ServerSettings {

    private final Supplier<ServerOptions> options;
    private final IntSupplier clientPort;

    KernelSettings(Supplier<ServerOptions> options, IntSupplier clientPort) {
        this.options = options;
        this.clientPort = clientPort;
    }

    @Override
    public String host() {
        return options.get().host();
    }

    @Override
    public int clientPort() {
        return clientPort.getAsInt();
    }

    @Override
    public int maxPayload() {
        return options.get().maxPayload();
    }

    @Override
    public List<String> tags() {
        Object tags = options.get().configSections().get("server_tags");
        if (tags instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return tags instanceof String s ? List.of(s) : List.of();
    }

    @Override
    public boolean systemAccountConfigured() {
        return options.get().systemAccountConfigured();
    }

    @Override
    public Optional<String> systemAccount() {
        ServerOptions o = options.get();
        return o.noSystemAccount() ? Optional.empty() : Optional.of(o.systemAccount());
    }

    @Override
    public boolean operatorMode() {
        return options.get().operator().enabled();
    }

    @Override
    public java.time.Duration pingInterval() {
        return options.get().pingInterval();
    }

    @Override
    public int maxPingsOut() {
        return options.get().maxPingsOut();
    }

    @Override
    public long maxPending() {
        return options.get().maxPending();
    }

    @Override
    public java.time.Duration writeDeadline() {
        return options.get().writeDeadline();
    }
}
