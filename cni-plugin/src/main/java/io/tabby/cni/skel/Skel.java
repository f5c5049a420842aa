package io.tabby.cni.skel;

import io.tabby.cni.types.CniError;
import io.tabby.cni.types.CniVersion;
import io.tabby.cni.types.NetConf;
import io.tabby.cni.types.ResultCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses, validates and dispatches one CNI invocation (cf. containernetworking/cni
 * {@code pkg/skel/skel.go}). Stateless: the same instance serves concurrent requests.
 */
public final class Skel {
    /** containernetworking/cni {@code pkg/utils}: container IDs and names share this alphabet. */
    private static final Pattern ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
    private static final Pattern VERSION_FIELD = Pattern.compile("\"cniVersion\"\\s*:\\s*\"([^\"]*)\"");

    private final CniPlugin plugin;

    public Skel(CniPlugin plugin) {
        this.plugin = plugin;
    }

    /** Runs one invocation; never throws. */
    public Outcome run(Map<String, String> env, byte[] stdin) {
        String version = guessVersion(stdin);
        try {
            Command cmd = command(env);
            if (cmd == Command.VERSION) {
                return Outcome.ok(CniVersion.versionInfoJson());
            }
            Request r = request(cmd, env, stdin);
            version = r.conf().cniVersion();
            return switch (cmd) {
                case ADD -> Outcome.ok(ResultCodec.encode(plugin.add(r), version));
                case DEL -> done(() -> plugin.del(r));
                case CHECK -> done(() -> plugin.check(r));
                case STATUS -> done(() -> plugin.status(r));
                case GC -> done(() -> plugin.gc(r));
                case VERSION -> throw new IllegalStateException("handled above");
            };
        } catch (CniError e) {
            return failure(e, version);
        } catch (RuntimeException e) {
            return failure(new CniError(199, "unexpected failure in the tabby CNI service", e.toString()), version);
        }
    }

    private static Outcome done(Runnable r) {
        r.run();
        return Outcome.ok("");
    }

    private static Outcome failure(CniError e, String version) {
        String v = CniVersion.supported(version) ? version : CniVersion.CURRENT;
        return new Outcome(1, e.toJson(v), e.getMessage());
    }

    private static Command command(Map<String, String> env) {
        String c = env.getOrDefault("CNI_COMMAND", "");
        if (c.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "required env variables [CNI_COMMAND] missing");
        }
        try {
            return Command.valueOf(c);
        } catch (IllegalArgumentException e) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + c);
        }
    }

    /** Builds the request; the checks follow the spec's per-command required variables. */
    static Request request(Command cmd, Map<String, String> env, byte[] stdin) {
        boolean needsContainer = cmd == Command.ADD || cmd == Command.DEL || cmd == Command.CHECK;
        boolean needsNetns = cmd == Command.ADD || cmd == Command.CHECK;
        List<String> missing = new ArrayList<>();
        if (needsContainer && env.getOrDefault("CNI_CONTAINERID", "").isEmpty()) {
            missing.add("CNI_CONTAINERID");
        }
        if (needsNetns && env.getOrDefault("CNI_NETNS", "").isEmpty()) {
            missing.add("CNI_NETNS");
        }
        if (needsContainer && env.getOrDefault("CNI_IFNAME", "").isEmpty()) {
            missing.add("CNI_IFNAME");
        }
        if (!missing.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "required env variables " + missing + " missing");
        }
        String containerId = env.getOrDefault("CNI_CONTAINERID", "");
        if (needsContainer && !ID.matcher(containerId).matches()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid characters in containerID", containerId);
        }
        String ifname = env.getOrDefault("CNI_IFNAME", "");
        if (needsContainer) {
            validateIfname(ifname);
        }
        NetConf conf = NetConf.parse(stdin);
        if (cmd == Command.CHECK && !CniVersion.atLeast(conf.cniVersion(), "0.4.0")) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "config version does not allow CHECK", conf.cniVersion());
        }
        if ((cmd == Command.STATUS || cmd == Command.GC) && !CniVersion.atLeast(conf.cniVersion(), "1.1.0")) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "config version does not allow " + cmd, conf.cniVersion());
        }
        return new Request(cmd, containerId, env.getOrDefault("CNI_NETNS", ""), ifname,
                parseArgs(env.getOrDefault("CNI_ARGS", "")), env.getOrDefault("CNI_PATH", ""), conf);
    }

    /** Linux IFNAMSIZ is 16 with the NUL; names with '/', ':' or blanks cannot exist. */
    static void validateIfname(String ifname) {
        if (ifname.length() > 15 || ifname.equals(".") || ifname.equals("..") || ifname.matches(".*[/:\\s].*")) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid CNI_IFNAME", ifname);
        }
    }

    /** {@code CNI_ARGS}: {@code K=V;K=V}. A pair without '=' is an invalid environment. */
    static Map<String, String> parseArgs(String s) {
        Map<String, String> out = new HashMap<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String pair : s.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid CNI_ARGS pair", pair);
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /** The version to write an error in, read before (and even if) the config parses. */
    static String guessVersion(byte[] stdin) {
        Matcher m = VERSION_FIELD.matcher(new String(stdin, java.nio.charset.StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : CniVersion.CURRENT;
    }
}
