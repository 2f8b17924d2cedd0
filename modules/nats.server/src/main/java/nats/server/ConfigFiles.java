package nats.server;

import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import nats.server.internal.config.ConfigException;
import nats.server.internal.config.ConfigParser;
import nats.server.internal.config.OptionsMapper;

/** Reads a Go-format {@code nats-server.conf} into {@link ServerOptions}. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /**
     * Applies the config file to {@code options}.
     *
     * @param pedantic fail on unknown keys instead of warning
     * @return warnings (e.g. unknown keys) for the operator
     * @throws ServerStartException naming file, line and column when the file is invalid
     */
    public static List<String> load(Path file, ServerOptions options, boolean pedantic) throws ServerStartException {
        try {
            Map<String, Object> config = ConfigParser.parse(file);
            options.configFile(file);
            return OptionsMapper.apply(config, options, pedantic);
        } catch (ConfigException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
    }
}
