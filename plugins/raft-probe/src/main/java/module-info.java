/**
 * Test plugin for RAFT over routes: one {@code nats.raft} member per server, its RPCs on {@code $NRG} subjects in
 * the system account, proposals and status on {@code $RAFTPROBE.<member>.*}. Not part of the image.
 */
module nats.example.raft {
    requires nats.api;
    requires nats.raft;

    provides nats.api.ServerPlugin with nats.example.raft.RaftProbePlugin;
}
