package dev.pier.gitreceiver.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.Test;

class PushPolicyTest {
    private static final ObjectId A = ObjectId.fromString("a".repeat(40));
    private static final ObjectId B = ObjectId.fromString("b".repeat(40));

    private static ReceiveCommand update(String ref) {
        return new ReceiveCommand(A, B, ref);
    }

    @Test
    void mainOrMasterDeploys() {
        assertThat(PushPolicy.problem(update("refs/heads/main"))).isEmpty();
        assertThat(PushPolicy.problem(update("refs/heads/master"))).isEmpty();
        assertThat(PushPolicy.problem(new ReceiveCommand(ObjectId.zeroId(), B, "refs/heads/main"))).as("first push").isEmpty();
        assertThat(PushPolicy.deploying(List.of(update("refs/heads/main")))).isPresent();
    }

    @Test
    void otherBranchesTagsAndDeletionsAreRefusedWithTheWayOut() {
        assertThat(PushPolicy.problem(update("refs/heads/feature"))).get().asString()
                .contains("only main or master deploy", "git push pier feature:main");
        assertThat(PushPolicy.problem(update("refs/tags/v1"))).get().asString().contains("v1:main");
        assertThat(PushPolicy.problem(new ReceiveCommand(A, ObjectId.zeroId(), "refs/heads/main"))).get().asString()
                .contains("deleting main");
        assertThat(PushPolicy.deploying(List.of(update("refs/heads/main"), update("refs/heads/master"))))
                .as("both at once: neither").isEmpty();
        assertThat(PushPolicy.deploying(List.of(update("refs/heads/main"), update("refs/heads/dev")))).isPresent();
    }
}
