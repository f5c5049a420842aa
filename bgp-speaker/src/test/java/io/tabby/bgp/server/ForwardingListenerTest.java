package io.tabby.bgp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.SessionListener;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.BgpMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every callback reaches the delegate, transitions included: the RIB router learns its sessions
 * from them (to clear the Restart State bit of their later OPENs once a graceful restart is over).
 */
class ForwardingListenerTest {
    @Test
    void transitionsAndDownReasonsReachTheDelegate() {
        List<String> seen = new ArrayList<>();
        SessionListener delegate = new SessionListener() {
            public void up(PeerSession p, Negotiated n) {
                seen.add("up");
            }

            public void down(PeerSession p, Reason why, String detail) {
                seen.add("down " + why + " " + detail);
            }

            public void update(PeerSession p, BgpMessage.Update u, List<String> notes, boolean taw) {
                seen.add("update");
            }

            public void refresh(PeerSession p, BgpMessage.RouteRefresh r) {
                seen.add("refresh");
            }

            @Override
            public void transition(PeerSession p, State from, State to, Reason reason, String detail) {
                seen.add(from + "->" + to);
            }
        };
        ForwardingListener f = new ForwardingListener(delegate);
        f.transition(null, State.IDLE, State.CONNECT, Reason.START, "connecting");
        f.down(null, Reason.TCP_FAILED, "connection reset");
        assertThat(seen).containsExactly("IDLE->CONNECT", "down TCP_FAILED connection reset");
    }
}
