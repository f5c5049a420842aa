package io.tabby.cni.skel;

import io.tabby.cni.types.CniError;
import io.tabby.cni.types.Result;

/**
 * The commands a plugin implements. Each throws {@link CniError} to fail with a spec error; any
 * other exception becomes a generic error naming it.
 */
public interface CniPlugin {
    /** Sets the container up and returns its result (printed at the request's version). */
    Result add(Request r);

    /** Best effort and idempotent: what is already gone is not an error. */
    void del(Request r);

    /** Verifies the container's network still matches {@code r.conf().prevResult()}. */
    void check(Request r);

    /** Returns when ADD can be served; throws code 50 or 51 otherwise. */
    void status(Request r);

    /** Releases everything of this network not in {@code r.conf().validAttachments()}. */
    void gc(Request r);
}
