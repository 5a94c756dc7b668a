//! Flags for `open(2)` that std does not export, as constants. `sys::open_file` passes
//! `O_NONBLOCK` on every open; tests pass it through `OpenOptionsExt::custom_flags`.

/// `O_NONBLOCK`: an `open(2)` that must never wait. Opening a FIFO otherwise waits for the other
/// end (a writer waits for a reader, a reader for a writer) with no bound, which in a hook
/// freezes the whole OpenVPN server. On regular files the flag changes nothing.
///
/// The value differs between kernels and, on Linux, between architectures (`<fcntl.h>`:
/// Linux `asm-generic/fcntl.h` 04000, `arch/mips/include/uapi/asm/fcntl.h` 0200; the BSDs' and
/// macOS's `sys/fcntl.h` 0x0004). Where it is not known, 0: the flag is left out and a FIFO may
/// block.
pub const O_NONBLOCK: i32 = if cfg!(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly",
    target_os = "macos"
)) {
    0x0004
} else if cfg!(all(
    target_os = "linux",
    any(target_arch = "mips", target_arch = "mips64")
)) {
    0o200
} else if cfg!(all(
    target_os = "linux",
    any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "riscv32",
        target_arch = "riscv64",
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "s390x",
        target_arch = "loongarch64"
    )
)) {
    0o4000
} else {
    0
};
