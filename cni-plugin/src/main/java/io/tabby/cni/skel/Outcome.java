package io.tabby.cni.skel;

/** What the executable prints and its exit code: 0 on success, 1 with an error object. */
public record Outcome(int exitCode, String stdout, String stderr) {
    public static Outcome ok(String stdout) {
        return new Outcome(0, stdout, "");
    }
}
