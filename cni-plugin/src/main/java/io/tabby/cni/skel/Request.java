package io.tabby.cni.skel;

import io.tabby.cni.types.NetConf;
import java.util.Map;

/**
 * One validated invocation. {@code netns} may be empty for DEL (the namespace can be gone) and
 * for STATUS/GC; {@code args} is {@code CNI_ARGS} split into pairs (Kubernetes passes
 * {@code K8S_POD_NAMESPACE} and {@code K8S_POD_NAME} there).
 */
public record Request(Command command, String containerId, String netns, String ifname,
                      Map<String, String> args, String path, NetConf conf) {
    public Request {
        args = Map.copyOf(args);
    }

    public String podNamespace() {
        return args.getOrDefault("K8S_POD_NAMESPACE", "");
    }

    public String podName() {
        return args.getOrDefault("K8S_POD_NAME", "");
    }

    /** Calico's IPAM handle: {@code <network name>.<container id>}. */
    public String handle() {
        return conf.name() + "." + containerId;
    }
}
