package dev.pier.api.attach;

import dev.pier.api.JobState;

/**
 * How an attached job ended: the last message of the controller's attach socket,
 * {@code {"exit_status":3,"state":"crashed","reason":"exited with status 3"}}. {@code exitStatus} is null when
 * the job never ran (a {@code failed} job: bad image or command).
 */
public record JobExit(Integer exitStatus, JobState state, String reason) {
}
