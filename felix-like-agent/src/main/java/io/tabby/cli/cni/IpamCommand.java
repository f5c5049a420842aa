package io.tabby.cli.cni;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.Audit;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.Versioned;
import io.tabby.cni.ipam.k8s.Crds;
import io.tabby.cni.ipam.k8s.KubernetesPods;
import io.tabby.cni.ipam.k8s.KubernetesStore;
import io.tabby.cni.types.IpNet;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tabby ipam show|check|release}: IPAM state in the Kubernetes API, for operators. */
@Command(name = "ipam", description = "Show, check and release IPAM state (ipam.tabby.io custom resources).",
        mixinStandardHelpOptions = true,
        subcommands = {IpamCommand.Show.class, IpamCommand.Check.class, IpamCommand.Release.class, IpamCommand.PrintCrds.class})
public final class IpamCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the API server is: a kubeconfig file, or Fabric8's defaults (KUBECONFIG, in-cluster). */
    static final class Api {
        @Option(names = "--kubeconfig", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config or in-cluster)")
        Path kubeconfig;

        KubernetesClient client() throws Exception {
            if (kubeconfig == null) {
                return new KubernetesClientBuilder().build();
            }
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        }
    }

    @Command(name = "crds", description = "Print the CustomResourceDefinitions IPAM needs (for kubectl apply -f -).")
    static final class PrintCrds implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (var c : List.of(Crds.POOLS, Crds.CONFIGS, Crds.BLOCKS)) {
                out.print("---\n" + Crds.manifest(c));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "Pools, blocks and addresses in use per node.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Api api;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (KubernetesClient c = api.client()) {
                KubernetesStore store = new KubernetesStore(c);
                List<Block> blocks = store.blocks().stream().map(Versioned::value).toList();
                out.printf("%-20s %-20s %6s %8s %s%n", "POOL", "CIDR", "BLOCK", "DISABLED", "NODE SELECTOR");
                for (IpPool p : store.pools()) {
                    out.printf("%-20s %-20s %6s %8s %s%n", p.name(), p.cidr(), "/" + p.blockSize(), p.disabled(), p.nodeSelector());
                }
                out.printf("%n%-20s %6s %8s %6s %9s%n", "NODE", "BLOCKS", "CAPACITY", "USED", "BORROWED");
                for (Audit.NodeUse u : Audit.usage(blocks)) {
                    out.printf("%-20s %6d %8d %6d %9d%n", u.node(), u.blocks(), u.capacity(), u.used(), u.borrowedOut());
                }
                out.printf("%n%-22s %-16s %s%n", "BLOCK", "AFFINITY", "USED");
                for (Block b : blocks) {
                    out.printf("%-22s %-16s %d/%d%n", b.cidr(), b.affinity(), b.allocations().size(), b.size());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "check", description = "Find leaks (addresses of pods that no longer exist) and conflicts; exit 1 if any.")
    static final class Check implements Callable<Integer> {
        @Mixin
        Api api;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (KubernetesClient c = api.client()) {
                KubernetesStore store = new KubernetesStore(c);
                KubernetesPods pods = new KubernetesPods(c);
                List<Audit.Problem> problems = Audit.check(store.pools(), store.blocks().stream().map(Versioned::value).toList(),
                        (Allocation a) -> !a.pod().isEmpty() && pods.annotations(a.namespace(), a.pod()).isEmpty());
                problems.forEach(p -> out.println(p.kind() + "\t" + p.what()));
                out.println(problems.isEmpty() ? "ok: no leaks or conflicts" : problems.size() + " problem(s)");
                out.flush();
                return problems.isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "release", description = "Release the addresses of a handle (<network>.<containerID>) or one address.")
    static final class Release implements Callable<Integer> {
        @Mixin
        Api api;
        @Spec
        CommandSpec spec;
        @Option(names = "--handle", description = "IPAM handle, e.g. k8s-pod-network.3f2a...")
        String handle;
        @Option(names = "--ip", description = "one address to release, whoever holds it")
        String ip;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if ((handle == null) == (ip == null)) {
                spec.commandLine().getErr().println("give exactly one of --handle or --ip");
                return 2;
            }
            try (KubernetesClient c = api.client()) {
                Ipam ipam = new Ipam(new KubernetesStore(c));
                String h = handle;
                if (ip != null) {
                    InetAddress a = IpNet.parseAddress(ip);
                    h = ipam.store().blocks().stream().map(Versioned::value).filter(b -> b.cidr().contains(a))
                            .map(b -> b.allocations().get(b.ordinalOf(a))).filter(x -> x != null).map(Allocation::handle)
                            .findFirst().orElse(null);
                    if (h == null) {
                        out.println(ip + " is not allocated");
                        out.flush();
                        return 0;
                    }
                }
                int n = ipam.release(h);
                out.println("released " + n + " address(es) of " + h);
                out.flush();
                return 0;
            }
        }
    }
}
