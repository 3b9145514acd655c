// What `linux`, `initrd`, `multiboot` and `module` keep for `boot` (its own
// file so the loader state and the commands can both name it).

/** A file `linux`, `initrd`, `multiboot` or `module` brought in. */
export interface OtherFile {
  /** Its URL as shown (no credentials); also its name for the kernel. */
  readonly url: string;
  /** The bytes. */
  readonly data: Uint8Array;
  /** Its command line / string: for a Multiboot kernel or module the URL and arguments, as GRUB passes them. */
  readonly args: string;
}

/** A Linux or Multiboot kernel with its initrds or modules. */
export interface OtherKernel {
  /** Which protocol boots it. */
  readonly kind: "linux" | "multiboot";
  /** The kernel. */
  readonly kernel: OtherFile;
  /** Linux: the initrds (concatenated in order); Multiboot: the modules. */
  readonly extras: OtherFile[];
}
