package io.tabby.bgp.gr;

import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around {@link GrHelper} and {@link GrRestarting}: feeds them session
 * events, carries out their actions on the {@link Rib}, and schedules their timers. Runs on the
 * RIB's thread. {@code onRelease} is told when a deferred family is released, so the FIB can run
 * its first full sync (and sweep) only then.
 */
public final class GrDriver {
    private static final Logger log = LoggerFactory.getLogger(GrDriver.class);

    private final Rib rib;
    private final GrHelper helper;
    private final GrRestarting restarting; // null when we did not restart
    private final Scheduler scheduler;
    private final Consumer<Family> onRelease;

    public GrDriver(Rib rib, GrHelper helper, GrRestarting restarting, Scheduler scheduler, Consumer<Family> onRelease) {
        this.rib = rib;
        this.helper = helper;
        this.restarting = restarting;
        this.scheduler = scheduler;
        this.onRelease = onRelease;
    }

    /** Call once at start: defers selection if we restarted, and arms the deferral timer. */
    public void start() {
        if (restarting == null) {
            return;
        }
        restarting.deferred().forEach(rib::deferSelection);
        release(restarting.start());
        scheduler.schedule(restarting.deferral(), () -> release(restarting.deferralExpired()));
    }

    /** True while our own restart still defers selection for some family. */
    public boolean deferring() {
        return restarting != null && !restarting.deferred().isEmpty();
    }

    /** True while the kernel FIB must not be synced yet (see {@link GrRestarting#fibHeld()}). */
    public boolean holdingFib() {
        return restarting != null && restarting.fibHeld();
    }

    public void sessionUp(InetAddress peer, Set<Family> families, Optional<Capability.GracefulRestart> cap) {
        run(helper.on(new GrHelper.Event.SessionEstablished(peer, cap)));
        rib.sessionUp(peer, families);
        if (restarting != null) {
            release(restarting.peerUp(peer, families, cap));
        }
    }

    public void sessionDown(InetAddress peer, Optional<Capability.GracefulRestart> lastCap) {
        run(helper.on(new GrHelper.Event.SessionLost(peer, lastCap)));
    }

    public void endOfRib(InetAddress peer, Family family) {
        run(helper.on(new GrHelper.Event.EndOfRib(peer, family)));
        if (restarting != null) {
            release(restarting.endOfRib(peer, family));
        }
    }

    private void release(List<Family> families) {
        for (Family f : families) {
            rib.releaseSelection(f);
            onRelease.accept(f);
        }
    }

    private void run(List<GrHelper.Action> actions) {
        for (GrHelper.Action a : actions) {
            switch (a) {
                case GrHelper.Action.KeepStale k -> {
                    rib.sessionDownGraceful(k.peer(), k.families());
                    log.atInfo().addKeyValue("peer", k.peer().getHostAddress()).addKeyValue("families", k.families())
                            .log("peer restarting: routes kept as stale");
                }
                case GrHelper.Action.Flush f -> rib.sessionDown(f.peer());
                case GrHelper.Action.Sweep s -> {
                    int n = 0;
                    for (Family f : s.families()) {
                        n += rib.sweepStale(s.peer(), f);
                    }
                    log.atInfo().addKeyValue("peer", s.peer().getHostAddress()).addKeyValue("families", s.families())
                            .addKeyValue("swept", n).addKeyValue("why", s.why()).log("stale routes swept");
                }
                case GrHelper.Action.Schedule t -> scheduler.schedule(t.after(),
                        () -> run(helper.on(new GrHelper.Event.TimerFired(t.peer(), t.timer(), t.generation()))));
            }
        }
    }
}
