// The formats `boot-config --format` takes, apart from their rendering: the CLI's flag
// definitions import only this, so `image-build --help` loads no YAML writer.
export type BootConfigFormat = 'bss' | 'boot-service' | 'ipxe';
export const BOOT_CONFIG_FORMATS: readonly BootConfigFormat[] = ['bss', 'boot-service', 'ipxe'];
