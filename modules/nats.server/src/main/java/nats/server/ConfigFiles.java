package nats.server;

import java.nio.file.Path;
import java.util.List;

/** TEMPORARY until the config package lands. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    public static List<String> load(Path file, ServerOptions options, boolean pedantic) throws ServerStartException {
        throw new ServerStartException("config files are not supported yet: " + file);
    }
}
