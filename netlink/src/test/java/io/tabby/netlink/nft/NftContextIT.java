package io.tabby.netlink.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import org.junit.jupiter.api.Test;

@NetnsTest
class NftContextIT {

    @Test
    void transactionsLandInTheContextsNamespaceAndOutputComesBack(Lab lab) {
        Netns a = lab.netns("a");
        Netns b = lab.netns("b");
        try (NftContext nft = NftContext.inNamed(a.name())) {
            assertThat(nft.run("add table inet t1\nadd set inet t1 s { type ipv4_addr; }\nadd element inet t1 s { 10.0.0.1 }\n"))
                    .isEmpty();
            // The nft tool inside the same namespace sees it; the other namespace does not.
            assertThat(a.run("nft", "list", "set", "inet", "t1", "s")).contains("10.0.0.1");
            assertThat(b.run("nft", "list", "tables")).doesNotContain("t1");
            // The context keeps working across calls (one socket, one thread) and returns output.
            nft.run("delete element inet t1 s { 10.0.0.1 }\nadd element inet t1 s { 10.0.0.2 }\n");
            assertThat(nft.run("list set inet t1 s")).contains("10.0.0.2").doesNotContain("10.0.0.1");
            nft.outputFlags(NftContext.OUTPUT_JSON);
            assertThat(nft.run("list tables")).startsWith("{\"nftables\"").contains("\"name\": \"t1\"");
        }
    }

    @Test
    void aRefusedBufferThrowsNftsOwnErrorAndCommitsNothing(Lab lab) {
        Netns a = lab.netns("a");
        try (NetNs ns = NetNs.openNamed(a.name()); NftContext nft = NftContext.in(ns)) {
            nft.run("add table inet t1\n");
            // The first line is fine, the second names a set that does not exist: the whole buffer is one transaction.
            assertThatThrownBy(() -> nft.run("add chain inet t1 c\nadd rule inet t1 c ip saddr @nope accept\n"))
                    .isInstanceOfSatisfying(NftException.class, e -> {
                        // nft 1.0.6 reports the kernel's ENOENT against the batch, with its own caret.
                        assertThat(e.nftError()).startsWith("Error: No such file or directory").contains("add chain inet t1 c");
                        assertThat(e.getMessage()).contains("nft refused the transaction").contains(e.nftError().strip());
                    });
            assertThat(a.run("nft", "list", "table", "inet", "t1")).doesNotContain("chain c");
            assertThatThrownBy(() -> nft.run("this is not nft\n")).isInstanceOf(NftException.class)
                    .hasMessageContaining("syntax error");
            // A dry run checks without changing anything.
            nft.check("add chain inet t1 d\n");
            assertThat(a.run("nft", "list", "table", "inet", "t1")).doesNotContain("chain d");
            assertThatThrownBy(() -> nft.check("add rule inet t1 missing accept\n")).isInstanceOf(NftException.class);
            // The context survives its errors.
            nft.run("add chain inet t1 c\n");
            assertThat(a.run("nft", "list", "table", "inet", "t1")).contains("chain c");
        }
    }

    @Test
    void aClosedContextRefusesWork(Lab lab) {
        NftContext nft = NftContext.inNamed(lab.netns("a").name());
        nft.close();
        nft.close();
        assertThatThrownBy(() -> nft.run("list tables")).isInstanceOf(IllegalStateException.class);
    }
}
