/**
 * An example drop-in plugin: copy its jar into the server's plugins directory and it answers requests on
 * {@code $EXAMPLE.echo}. Depends on nats.api only.
 */
module nats.example.echo {
    requires nats.api;

    provides nats.api.ServerPlugin with nats.example.echo.EchoPlugin;
}
