package io.tabby.cli.cni;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.service.CniService;
import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tabby cni serve}: the node's CNI service, which the {@code tabby} CNI executable calls. */
@Command(name = "cni", description = "The CNI service.", mixinStandardHelpOptions = true, subcommands = CniCommand.Serve.class)
public final class CniCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "serve", description = "Serve CNI calls on a Unix socket until killed.", mixinStandardHelpOptions = true)
    static final class Serve implements Callable<Integer> {
        @Option(names = "--socket", defaultValue = "/run/tabby/cni.sock", description = "Unix socket (default: ${DEFAULT-VALUE})")
        Path socket;
        @Option(names = "--node", description = "this node's name (default: the host name)")
        String node;
        @Option(names = "--kubeconfig", description = "keep IPAM in the Kubernetes API (default unless --pool is given)")
        Path kubeconfig;
        @Option(names = "--pool", description = "keep IPAM in memory over this CIDR (no API server; repeatable)")
        List<String> pools = new ArrayList<>();
        @Option(names = "--block-size", description = "block prefix length for --pool (default /26, /122)")
        Integer blockSize;
        @Option(names = "--host-netns", defaultValue = "/proc/self/ns/net",
                description = "the node's network namespace (default: ${DEFAULT-VALUE}, the service's own)")
        Path hostNetns;
        @Option(names = "--sweep-grace", defaultValue = "PT15M", description = "leak sweep grace period (ISO-8601, default ${DEFAULT-VALUE})")
        Duration sweepGrace;

        @Override
        public Integer call() throws Exception {
            String name = node != null ? node : InetAddress.getLocalHost().getHostName();
            List<IpPool> ipPools = new ArrayList<>();
            for (String p : pools) {
                IpNet cidr = IpNet.parse(p);
                ipPools.add(new IpPool("pool-" + ipPools.size(), cidr, blockSize != null ? blockSize : IpPool.defaultBlockSize(cidr),
                        "all()", false, true));
            }
            KubernetesClient client = null;
            if (ipPools.isEmpty()) {
                client = kubeconfig == null ? new KubernetesClientBuilder().build()
                        : new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
            }
            CountDownLatch stop = new CountDownLatch(1);
            try (CniService svc = CniService.start(new CniService.Options(socket, name, Map.of(), client, ipPools, hostNetns, sweepGrace))) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            } finally {
                if (client != null) {
                    client.close();
                }
            }
            return 0;
        }
    }
}
