package io.tabby.cni.ipam;

import java.util.List;

/**
 * Where IPAM state lives. The contract every implementation must keep, because allocation
 * safety rests on it: {@link #create} fails with {@link ConflictException} if a block of that CIDR
 * exists; {@link #update} and {@link #delete} fail with it unless the stored version still equals
 * the one presented, and then change nothing. Reads may be stale; writes never are.
 */
public interface Store {
    List<IpPool> pools();

    IpamConfig config();

    List<Versioned<Block>> blocks();

    Versioned<Block> create(Block block);

    Versioned<Block> update(Versioned<Block> current, Block next);

    void delete(Versioned<Block> current);
}
