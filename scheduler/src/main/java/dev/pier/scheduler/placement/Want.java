package dev.pier.scheduler.placement;

/** The desired count of a slot's jobs, each holding {@code memoryMb} of its host. */
public record Want(Slot slot, int count, int memoryMb) {
}
