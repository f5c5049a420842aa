package io.tabby.cni.ipam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process {@link Store} keeping the CAS contract exactly: tests, {@code tabby ipam} against
 * a file, and single-node setups. One monitor guards the map, so every write is atomic.
 */
public final class MemoryStore implements Store {
    private final List<IpPool> pools;
    private final IpamConfig config;
    private final Map<String, Versioned<Block>> blocks = new TreeMap<>();
    private final AtomicLong version = new AtomicLong();

    public MemoryStore(List<IpPool> pools, IpamConfig config) {
        this.pools = List.copyOf(pools);
        this.config = config;
    }

    @Override
    public List<IpPool> pools() {
        return pools;
    }

    @Override
    public IpamConfig config() {
        return config;
    }

    @Override
    public synchronized List<Versioned<Block>> blocks() {
        return new ArrayList<>(blocks.values());
    }

    @Override
    public synchronized Versioned<Block> create(Block block) {
        if (blocks.containsKey(block.name())) {
            throw new ConflictException("block " + block.name() + " already exists");
        }
        Versioned<Block> v = new Versioned<>(block, Long.toString(version.incrementAndGet()));
        blocks.put(block.name(), v);
        return v;
    }

    @Override
    public synchronized Versioned<Block> update(Versioned<Block> current, Block next) {
        check(current);
        Versioned<Block> v = new Versioned<>(next, Long.toString(version.incrementAndGet()));
        blocks.put(next.name(), v);
        return v;
    }

    @Override
    public synchronized void delete(Versioned<Block> current) {
        check(current);
        blocks.remove(current.value().name());
    }

    private void check(Versioned<Block> current) {
        Versioned<Block> stored = blocks.get(current.value().name());
        if (stored == null || !stored.version().equals(current.version())) {
            throw new ConflictException("block " + current.value().name() + " changed: have version " + current.version()
                    + ", stored " + (stored == null ? "none" : stored.version()));
        }
    }
}
