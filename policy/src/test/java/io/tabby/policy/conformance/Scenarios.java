package io.tabby.policy.conformance;

import static io.tabby.policy.model.Protocol.SCTP;
import static io.tabby.policy.model.Protocol.TCP;
import static io.tabby.policy.model.Protocol.UDP;

import io.tabby.policy.conformance.Scenario.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream NetworkPolicy e2e scenarios (kubernetes/kubernetes
 * test/e2e/network/netpol/network_policy.go), re-written: the policies are ours and each
 * expected table is stated by hand from the semantics, not computed. A few extra cases cover
 * the pitfalls of netpol-semantics.md section 2 (endPort, named port protocol, {@code ports: [{}]},
 * the policyTypes defaulting trap, NotIn on a missing key, except as narrowing not deny).
 */
public final class Scenarios {
    private Scenarios() {}

    public static String np(String ns, String name, String spec) {
        return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " + name
                + "\n  namespace: " + ns + "\nspec:\n" + spec.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    }

    private static Check check(io.tabby.policy.model.Protocol p, int port, Truth t) {
        return new Check(p, port, t);
    }

    private static Truth all() {
        return new Truth();
    }

    public static List<Scenario> list() {
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario("no policies: everything allowed", "", List.of(
                check(TCP, 80, all()), check(UDP, 81, all()), check(SCTP, 80, all()))));

        s.add(new Scenario("default-deny-ingress", np("x", "deny-ingress", """
                podSelector: {}
                policyTypes: [Ingress]
                """), List.of(
                check(TCP, 80, all().expectAllIngress("x/*", false)),
                check(UDP, 80, all().expectAllIngress("x/*", false)),
                check(SCTP, 80, all().expectAllIngress("x/*", false)))));

        s.add(new Scenario("default-deny-all", np("x", "deny-all", """
                podSelector: {}
                policyTypes: [Ingress, Egress]
                """), List.of(
                check(TCP, 80, all().expectAllIngress("x/*", false).expectAllEgress("x/*", false)),
                check(UDP, 81, all().expectAllIngress("x/*", false).expectAllEgress("x/*", false)))));

        s.add(new Scenario("allow from pods within server namespace based on PodSelector", np("x", "x-a-from-x-b", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}}]
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false).expect("x/b", "x/a", true)))));

        s.add(new Scenario("allow ingress from pods in all namespaces", np("x", "x-a-from-all-ns", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {}}]
                """), List.of(check(TCP, 80, all()))));

        s.add(new Scenario("allow only from a different namespace, NamespaceSelector", np("x", "x-a-from-y", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                """), List.of(check(TCP, 80, all().expectPeer("x/*", "x/a", false).expectPeer("z/*", "x/a", false)))));

        s.add(new Scenario("PodSelector with MatchExpressions", np("x", "x-a-from-b-expr", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false).expect("x/b", "x/a", true)))));

        s.add(new Scenario("NamespaceSelector with MatchExpressions", np("x", "x-a-from-y-expr", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [y]}]}}]
                """), List.of(check(TCP, 80, all().expectPeer("x/*", "x/a", false).expectPeer("z/*", "x/a", false)))));

        s.add(new Scenario("PodSelector OR NamespaceSelector (separate peers)", np("x", "x-a-or", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from:
                  - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                  - podSelector: {matchLabels: {pod: b}}
                """), List.of(check(TCP, 80, all().expect("x/c", "x/a", false)))));

        s.add(new Scenario("PodSelector AND NamespaceSelector (one peer)", np("x", "x-a-and", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from:
                  - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                    podSelector: {matchLabels: {pod: b}}
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false)
                .expect("y/b", "x/a", true).expect("z/b", "x/a", true)))));

        s.add(new Scenario("multiple PodSelectors and NamespaceSelectors", np("x", "x-a-multi", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from:
                  - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                    podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false)
                .expect("y/b", "x/a", true).expect("y/c", "x/a", true)
                .expect("z/b", "x/a", true).expect("z/c", "x/a", true)))));

        s.add(new Scenario("any PodSelectors", np("x", "x-a-b-or-c", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false)
                .expect("x/b", "x/a", true).expect("x/c", "x/a", true)))));

        s.add(new Scenario("only from a pod in a different namespace, PodSelector and NamespaceSelector", np("x", "x-a-from-y-a", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false).expect("y/a", "x/a", true)))));

        s.add(new Scenario("based on Ports", np("x", "x-a-from-y-81", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 81, protocol: TCP}]
                """), List.of(
                check(TCP, 80, all().expectAllIngress("x/a", false)),
                check(TCP, 81, all().expectPeer("x/*", "x/a", false).expectPeer("z/*", "x/a", false)))));

        s.add(new Scenario("multiple stacked policies with overlapping podSelectors",
                np("x", "x-a-from-y-80", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 80}]
                """) + np("x", "x-a-from-y-81", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 81}]
                """), List.of(
                check(TCP, 80, all().expectPeer("x/*", "x/a", false).expectPeer("z/*", "x/a", false)),
                check(TCP, 81, all().expectPeer("x/*", "x/a", false).expectPeer("z/*", "x/a", false)))));

        s.add(new Scenario("ports bind to their own rule's peers", np("x", "x-a-two-rules", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: z}}}]
                  ports: [{port: 80}]
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 81}]
                """), List.of(
                check(TCP, 80, all().expectAllIngress("x/a", false).expectPeer("z/*", "x/a", true)),
                check(TCP, 81, all().expectAllIngress("x/a", false).expectPeer("y/*", "x/a", true)))));

        s.add(new Scenario("allow-all policy", np("x", "allow-all", """
                podSelector: {}
                ingress: [{}]
                """), List.of(check(TCP, 80, all()), check(UDP, 81, all()))));

        s.add(new Scenario("ingress on one named port", np("x", "allow-81-named", """
                podSelector: {}
                ingress:
                - ports: [{port: serve-81-tcp}]
                """), List.of(
                check(TCP, 81, all()),
                check(TCP, 80, all().expectAllIngress("x/*", false)))));

        s.add(new Scenario("ingress from namespace on one named port", np("x", "allow-y-80-named", """
                podSelector: {}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: serve-80-tcp}]
                """), List.of(
                check(TCP, 80, all().expectAllIngress("x/*", false).expectPeer("y/*", "x/*", true)),
                check(TCP, 81, all().expectAllIngress("x/*", false)))));

        s.add(new Scenario("egress on one named port", np("x", "egress-80-named", """
                podSelector: {}
                policyTypes: [Egress]
                egress:
                - ports: [{port: serve-80-udp, protocol: UDP}]
                """), List.of(
                check(UDP, 80, all()),
                check(UDP, 81, all().expectAllEgress("x/*", false)),
                check(TCP, 80, all().expectAllEgress("x/*", false)))));

        s.add(new Scenario("deny ingress from pods on other namespaces", np("x", "deny-other-ns", """
                podSelector: {}
                ingress:
                - from: [{podSelector: {}}]
                """), List.of(check(TCP, 80, all().expectPeer("y/*", "x/*", false).expectPeer("z/*", "x/*", false)))));

        s.add(new Scenario("deny egress from pods based on PodSelector", np("x", "deny-egress-a", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                """), List.of(check(TCP, 80, all().expectAllEgress("x/a", false)))));

        s.add(new Scenario("deny egress from all pods in a namespace", np("x", "deny-egress-all", """
                podSelector: {}
                policyTypes: [Egress]
                egress: []
                """), List.of(check(TCP, 80, all().expectAllEgress("x/*", false)))));

        s.add(new Scenario("Ingress and Egress together", np("x", "in-and-out", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Ingress, Egress]
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}}]
                egress:
                - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
                """), List.of(check(TCP, 80, all()
                .expectAllIngress("x/a", false).expect("x/b", "x/a", true)
                .expectAllEgress("x/a", false).expectPeer("x/a", "y/*", true)))));

        s.add(new Scenario("client-side egress deny wins over a server that allows", np("x", "x-a-no-egress", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: []
                """) + np("z", "z-b-from-x-a", """
                podSelector: {matchLabels: {pod: b}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]
                """), List.of(check(TCP, 80, all().expectAllEgress("x/a", false)
                .expectAllIngress("z/b", false)))));

        s.add(new Scenario("egress to a server in another namespace, PodSelector and NamespaceSelector", np("x", "x-a-to-y-a", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]
                """), List.of(check(TCP, 80, all().expectAllEgress("x/a", false).expect("x/a", "y/a", true)))));

        s.add(new Scenario("ingress any port on a specific protocol", np("x", "tcp-only", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - ports: [{protocol: TCP}]
                """), List.of(
                check(TCP, 80, all()), check(TCP, 81, all()),
                check(UDP, 80, all().expectAllIngress("x/a", false)))));

        s.add(new Scenario("ingress allow-all takes precedence", np("x", "from-y-81", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 81}]
                """) + np("x", "allow-all-a", """
                podSelector: {matchLabels: {pod: a}}
                ingress: [{}]
                """), List.of(check(TCP, 80, all()), check(TCP, 81, all()))));

        s.add(new Scenario("egress allow-all takes precedence", np("x", "to-y-81", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 81}]
                """) + np("x", "allow-all-out-a", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: [{}]
                """), List.of(check(TCP, 80, all()))));

        s.add(new Scenario("egress to a server in a CIDR block", np("x", "to-x-b-cidr", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: %s/32}}]
                """.formatted(E2eModel.ip("x/b"))), List.of(check(TCP, 80, all().expectAllEgress("x/a", false).expect("x/a", "x/b", true)))));

        s.add(new Scenario("except clause in a CIDR block", np("x", "except-x-b", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: 10.244.0.0/16, except: [%s/32]}}]
                """.formatted(E2eModel.ip("x/b"))), List.of(check(TCP, 80, all().expect("x/a", "x/b", false)))));

        s.add(new Scenario("an IP in both a CIDR's except and another policy is allowed", np("x", "except-x-b", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: 10.244.0.0/16, except: [%1$s/32]}}]
                """.formatted(E2eModel.ip("x/b"))) + np("x", "allow-x-b", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: %s/32}}]
                """.formatted(E2eModel.ip("x/b"))), List.of(check(TCP, 80, all()))));

        s.add(new Scenario("ingress and egress controlled independently", np("x", "a-ingress-closed", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Ingress]
                """) + np("x", "a-egress-open", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: [{}]
                """), List.of(check(TCP, 80, all().expectAllIngress("x/a", false)))));

        s.add(new Scenario("SCTP is not TCP", np("x", "allow-sctp-80", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - ports: [{protocol: SCTP, port: 80}]
                """), List.of(
                check(TCP, 80, all().expectAllIngress("x/a", false)),
                check(SCTP, 80, all()))));

        s.add(new Scenario("UDP-only policy does not allow TCP", np("x", "allow-udp-81", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - ports: [{protocol: UDP, port: 81}]
                """), List.of(
                check(TCP, 81, all().expectAllIngress("x/a", false)),
                check(UDP, 81, all()),
                check(UDP, 80, all().expectAllIngress("x/a", false)))));

        s.add(new Scenario("NamespaceSelector on the default kubernetes.io/metadata.name label", np("x", "from-y-by-name", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                """), List.of(check(TCP, 80, all().expectPeer("x/*", "x/a", false).expectPeer("z/*", "x/a", false)))));

        s.add(new Scenario("endPort range", np("x", "range-80-81", """
                podSelector: {}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{protocol: UDP, port: 80, endPort: 81}]
                """), List.of(
                check(UDP, 80, all().expectAllIngress("x/*", false).expectPeer("y/*", "x/*", true)),
                check(UDP, 81, all().expectAllIngress("x/*", false).expectPeer("y/*", "x/*", true)),
                check(TCP, 80, all().expectAllIngress("x/*", false)))));

        s.add(new Scenario("named port with the wrong protocol opens nothing but still isolates", np("x", "udp-named-tcp", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - ports: [{protocol: UDP, port: serve-80-tcp}]
                """), List.of(
                check(UDP, 80, all().expectAllIngress("x/a", false)),
                check(TCP, 80, all().expectAllIngress("x/a", false)))));

        s.add(new Scenario("egress named port with no peers resolves on every pod", np("y", "y-out-81-named", """
                podSelector: {}
                policyTypes: [Egress]
                egress:
                - ports: [{protocol: TCP, port: serve-81-tcp}]
                """), List.of(
                check(TCP, 81, all()),
                check(TCP, 80, all().expectAllEgress("y/*", false)))));

        s.add(new Scenario("an empty port entry means every TCP port", np("x", "empty-port", """
                podSelector: {matchLabels: {pod: b}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: z}}}]
                  ports: [{}]
                """), List.of(
                check(TCP, 81, all().expectAllIngress("x/b", false).expectPeer("z/*", "x/b", true)),
                check(UDP, 81, all().expectAllIngress("x/b", false)))));

        s.add(new Scenario("egress rules without policyTypes also deny all ingress", np("y", "egress-only-by-mistake", """
                podSelector: {matchLabels: {pod: c}}
                egress:
                - to: [{podSelector: {}}]
                """), List.of(check(TCP, 80, all()
                .expectAllIngress("y/c", false)
                .expectAllEgress("y/c", false).expectPeer("y/c", "y/*", true)))));

        s.add(new Scenario("NotIn and DoesNotExist match a missing key", np("z", "not-in-missing-key", """
                podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}
                ingress:
                - from: [{podSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}, {key: pod, operator: NotIn, values: [a]}]}}]
                """), List.of(check(TCP, 80, all().expectAllIngress("z/*", false)
                .expectPeer("z/b", "z/*", true).expectPeer("z/c", "z/*", true)))));
        return s;
    }
}
