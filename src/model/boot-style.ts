// How a published image fetches its rootfs when it network-boots: Debian's live-boot
// (`boot=live fetch=URL`) or dracut's dmsquash-live + livenet (`root=live:URL`). The
// publisher detects it from the image, boot-test and the boot configuration use it.

export type BootStyle = 'live-boot' | 'dracut';
export const BOOT_STYLES: readonly BootStyle[] = ['live-boot', 'dracut'];
