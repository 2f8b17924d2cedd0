package nats.api.net;

import java.io.IOException;

/**
 * Opens listeners on the kernel's accept and threading machinery. The bound address is logged as Go logs it,
 * written to the ports file ({@code ports_file_dir}) under the spec's name, and the kernel tells plugins
 * about lame-duck mode and shutdown in order.
 */
public interface Listeners {

    /**
     * Binds {@code spec}'s address and starts accepting, handing each connection to {@code handler}.
     *
     * @throws IOException when the address cannot be bound
     */
    BoundListener open(ListenerSpec spec, ConnectionHandler handler) throws IOException;
}
