package io.tabby.netlink;

/**
 * One change in a {@link NetlinkHandle#batch batch}: a route or neighbour to add, replace or
 * delete. Equivalent to one line of {@code ip -batch}.
 */
public sealed interface Change {
    enum Verb { ADD, REPLACE, DEL }

    Verb verb();

    record RouteChange(Verb verb, Route route) implements Change {}

    record NeighChange(Verb verb, Neigh neigh) implements Change {}

    static Change routeAdd(Route r) {
        return new RouteChange(Verb.ADD, r);
    }

    static Change routeReplace(Route r) {
        return new RouteChange(Verb.REPLACE, r);
    }

    static Change routeDel(Route r) {
        return new RouteChange(Verb.DEL, r);
    }

    static Change neighAdd(Neigh n) {
        return new NeighChange(Verb.ADD, n);
    }

    static Change neighReplace(Neigh n) {
        return new NeighChange(Verb.REPLACE, n);
    }

    static Change neighDel(Neigh n) {
        return new NeighChange(Verb.DEL, n);
    }
}
