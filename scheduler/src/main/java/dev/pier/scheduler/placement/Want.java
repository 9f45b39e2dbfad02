package dev.pier.scheduler.placement;

/**
 * The desired count of a slot's jobs, each holding {@code memoryMb} of its host; {@code volumes}: how many volumes
 * each job of the type mounts (0: none). A job of a type with volumes fills a numbered place, 0 to count-1, whose
 * volumes it gets wherever they are ({@link dev.pier.api.host.VolumeNames}).
 */
public record Want(Slot slot, int count, int memoryMb, int volumes) {

    public Want(Slot slot, int count, int memoryMb) {
        this(slot, count, memoryMb, 0);
    }

    public boolean hasVolumes() {
        return volumes > 0;
    }
}
