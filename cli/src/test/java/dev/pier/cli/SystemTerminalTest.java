package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemTerminalTest {

    @Test
    void readsSttySizeAsRowsThenColumns() {
        assertThat(SystemTerminal.parseSize("24 80\n")).contains(new Terminal.Size(80, 24));
        assertThat(SystemTerminal.parseSize("0 0\n")).as("a terminal without a size").isEmpty();
        assertThat(SystemTerminal.parseSize("")).isEmpty();
        assertThat(SystemTerminal.parseSize("stty: 'standard input': Inappropriate ioctl for device")).isEmpty();
        assertThat(SystemTerminal.parseSize("24 80 1")).isEmpty();
    }
}
