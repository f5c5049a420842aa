package io.tabby.bgp.gr;

import java.time.Duration;
import java.util.PriorityQueue;

/** Virtual time for tests: tasks run only when {@link #advance} passes their due time. */
public final class VirtualScheduler implements Scheduler {
    private record Task(long due, long seq, Runnable r) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public void schedule(Duration after, Runnable task) {
        queue.add(new Task(now + after.toMillis(), seq++, task));
    }

    public void advance(Duration d) {
        long until = now + d.toMillis();
        while (!queue.isEmpty() && queue.peek().due <= until) {
            Task t = queue.poll();
            now = t.due;
            t.r.run();
        }
        now = until;
    }

    public int pending() {
        return queue.size();
    }
}
