/**
 * BGP sessions: the RFC 4271 section 8 finite state machine as a pure function ({@link
 * io.tabby.bgp.session.Fsm}: (config, state, event) to (state, reason, actions)), OPEN
 * negotiation ({@link io.tabby.bgp.session.Negotiation}, RFC 4271 4.2/6.2, RFC 5492 and the
 * capability RFCs), collision resolution (section 6.8), and the Netty shell ({@link
 * io.tabby.bgp.session.PeerSession}) that runs one neighbor on one event loop.
 *
 * <pre>
 *  channel bytes -> BgpFrameDecoder -> DecodeResult -> SessionHandler -> Event -+
 *  loop.schedule(timer) ------------------------------------> TimerExpired ----+-> Fsm.next
 *  Transport.connect / accept ------------------------------> TcpConnected ----+      |
 *                                                                                      v
 *     actions: Send -> BgpEncoder, Connect -> Transport, Start/StopTimer -> loop, Negotiate -> codec
 *              contexts, Up/Down/Deliver/Refresh -> SessionListener (routing layer)
 * </pre>
 *
 * <p>RFC 4724: our OPEN carries the graceful restart capability from {@link
 * io.tabby.bgp.session.SessionConfig#gracefulRestart()} (the Restart State bit cleared by {@link
 * io.tabby.bgp.session.PeerSession#restartComplete()}), {@link io.tabby.bgp.session.Negotiated}
 * the peer's when both sides sent one, and {@code SessionListener.down} the {@link
 * io.tabby.bgp.session.Reason} a session ended for (without NOTIFICATION or not). RFC 4724 4.2: a new
 * connection from a peer whose graceful-restart session is still Established ends the old one as a
 * restart ({@code PEER_RESTARTED}) and proceeds; without graceful restart it is refused (6.8).
 *
 * Every transition is logged with its reason (SLF4J key=value: peer, from, to, reason, detail).
 * Timers run on the peer's event loop, so tests drive them with EmbeddedChannel virtual time. A
 * timer restarted to a later deadline (the hold timer, on every message received: RFC 4271 8.2.2)
 * only has its deadline moved; the task already scheduled re-arms itself for the rest when it
 * runs, so a table transfer costs no timer-heap removal and no new task per message.
 */
package io.tabby.bgp.session;
