package nats.leafnode.testing;

/** Starts a leaf server (ours or Go's) for a phase of a test; closing it stops the leaf. */
@FunctionalInterface
public interface LeafStarter {
    AutoCloseable start() throws Exception;
}
