package io.tabby.bgp.session;

import java.util.List;

/** One FSM step: the next state, why, a human detail for the log, and the actions in order. */
public record Transition(Session next, Reason reason, String detail, List<Action> actions) {
    public Transition {
        actions = List.copyOf(actions);
    }
}
