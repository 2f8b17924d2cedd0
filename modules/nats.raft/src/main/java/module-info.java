/**
 * RAFT consensus for replicated groups (JetStream's meta, stream and consumer groups): elections with pre-vote, a
 * checksummed log fsync'd before every acknowledgement, snapshots, membership, observers and read index.
 */
module nats.raft {
    exports nats.raft;

    uses nats.raft.RaftGroups;
    provides nats.raft.RaftGroups with nats.raft.internal.DefaultRaftGroups;
}
