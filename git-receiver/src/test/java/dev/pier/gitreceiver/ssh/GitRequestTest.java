package dev.pier.gitreceiver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitRequestTest {

    @Test
    void pushAndFetchOfAnAppInEveryPathFormGitUses() {
        for (String command : new String[] {"git-receive-pack '/shop.git'", "git-receive-pack 'shop.git'",
                "git-receive-pack '/shop'", "git-receive-pack shop.git"}) {
            assertThat(GitRequest.parse(command).request()).as(command)
                    .isEqualTo(new GitRequest(GitRequest.Service.RECEIVE_PACK, "shop"));
        }
        assertThat(GitRequest.parse("git-upload-pack '/my-app-2.git'").request())
                .isEqualTo(new GitRequest(GitRequest.Service.UPLOAD_PACK, "my-app-2"));
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        assertThat(GitRequest.parse("ls -la").problem()).contains("only git push and git fetch", "ls -la");
        assertThat(GitRequest.parse("git-receive-pack '/Shop.git'").problem()).contains("Shop");
        assertThat(GitRequest.parse("git-receive-pack '/../etc/passwd'").problem()).isNotNull();
        assertThat(GitRequest.parse("git-receive-pack '/a/b.git'").problem()).isNotNull();
        assertThat(GitRequest.parse("git-receive-pack '/shop.git'; rm -rf /").problem()).isNotNull();
        assertThat(GitRequest.parse("git-upload-archive '/shop.git'").problem()).isNotNull();
        assertThat(GitRequest.parse(null).problem()).contains("git push");
        assertThat(GitRequest.parse("git-receive-pack '/" + "a".repeat(40) + ".git'").problem()).isNotNull();
    }
}
