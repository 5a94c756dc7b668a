//! The few calls into the C library that std has no lean API for: the ONLY module with
//! `unsafe` (the crate root denies it everywhere else; `tests/it/tidy.rs` checks).
//!
//! - a non-blocking `AF_UNIX` stream socket and its `connect`, for the syslog daemon: std's
//!   `UnixStream::connect` blocks while the daemon's backlog is full, and would need a helper
//!   thread to be bounded (which costs the binaries some 28 KB);
//! - `posix_spawn(3)` + `waitpid(2)` for a chained command, with the hook's own environment
//!   passed on as it is: `std::process::Command` rebuilds the environment and adds a `PATH`
//!   search, which OpenVPN does not do (and costs some 27 KB);
//! - `open(2)`, without `OpenOptions`, whose boxed error strings link `core::fmt`;
//! - `getenv`: one variable, without copying the whole environment as `std::env::vars_os` does;
//! - `strerror(3)`: an OS error's text without `io::Error`'s `Display`, whose `core::fmt`
//!   machinery is some 13 KB of each binary when a single `Display` is reached at run time;
//! - [`Arena`], the binaries' allocator, with `mmap(2)`: a run allocates a few kilobytes and
//!   exits, so memory is taken from a static block and never given back (musl's `malloc` and
//!   `free` were a fifth of a run's instructions, and 9 KB of each binary).
//!
//! Every constant and structure layout below names the header it comes from, per system
//! (Linux: musl's headers for x86_64, arm, aarch64 and mips; FreeBSD, OpenBSD, NetBSD and
//! macOS: their `<sys/socket.h>`, `<sys/un.h>`, `<sys/mman.h>`, `<fcntl.h>`, `<errno.h>`), and
//! was checked against those headers and the tables of the `libc` crate that std's sources
//! ship; another system is a compile error until its values are looked up. Nothing here keeps a pointer beyond the call
//! it was made for, except the allocator's block, which lives as long as the process.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ffi::{c_char, c_int, CStr};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `pid_t`: `int` on every system this builds for (`<sys/types.h>`).
type Pid = c_int;

extern "C" {
    fn socket(domain: c_int, kind: c_int, protocol: c_int) -> c_int;
    fn connect(fd: c_int, address: *const SockaddrUn, length: u32) -> c_int;
    fn listen(fd: c_int, backlog: c_int) -> c_int;
    fn fcntl(fd: c_int, command: c_int, ...) -> c_int;
    fn dup2(from: c_int, to: c_int) -> c_int;
    fn posix_spawn(
        pid: *mut Pid,
        path: *const c_char,
        file_actions: *const std::ffi::c_void,
        attributes: *const std::ffi::c_void,
        argv: *const *const c_char,
        envp: *const *const c_char,
    ) -> c_int;
    fn waitpid(pid: Pid, status: *mut c_int, options: c_int) -> Pid;
    fn strerror(code: c_int) -> *const c_char;
    fn write(fd: c_int, buffer: *const std::ffi::c_void, length: usize) -> isize;
    // `open64` on 32-bit glibc, for files past 2 GiB; `open` is already that everywhere else.
    #[cfg_attr(
        all(target_env = "gnu", target_pointer_width = "32"),
        link_name = "open64"
    )]
    fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    // `off_t` is 64 bits on musl, the BSDs, macOS and 64-bit glibc; 32-bit glibc names the
    // 64-bit variant `mmap64`.
    #[cfg_attr(
        all(target_env = "gnu", target_pointer_width = "32"),
        link_name = "mmap64"
    )]
    fn mmap(
        address: *mut std::ffi::c_void,
        length: usize,
        protection: c_int,
        flags: c_int,
        fd: c_int,
        offset: i64,
    ) -> *mut std::ffi::c_void;
    fn munmap(address: *mut std::ffi::c_void, length: usize) -> c_int;
}

/// The C library's constants that are the same on every system here: `AF_UNIX`
/// (`<sys/socket.h>`), `F_SETFD` and `FD_CLOEXEC`, `O_WRONLY` (`<fcntl.h>`; `O_RDONLY` is 0), `PROT_READ | PROT_WRITE` and `MAP_PRIVATE` (`<sys/mman.h>`).
const AF_UNIX: c_int = 1;
const F_SETFD: c_int = 2;
const FD_CLOEXEC: c_int = 1;
const O_WRONLY: c_int = 1;
const PROT_READ_WRITE: c_int = 1 | 2;
const MAP_PRIVATE: c_int = 2;

/// The constants that differ, per system: `SOCK_STREAM` (`<sys/socket.h>`), `MAP_ANONYMOUS`
/// (`<sys/mman.h>`), `O_NONBLOCK`, `O_APPEND`, `O_CREAT`, `O_CLOEXEC` (`<fcntl.h>`), and the error numbers
/// std has no `ErrorKind` for (`<errno.h>`). Linux, every architecture but MIPS (and the
/// ones not listed, whose values differ or were not checked): `asm-generic` and musl's
/// headers.
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
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
))]
mod system {
    pub const SOCK_STREAM: i32 = 1;
    pub const MAP_ANONYMOUS: i32 = 0x20;
    pub const O_NONBLOCK: i32 = 0o4000;
    pub const O_APPEND: i32 = 0o2000;
    pub const O_CREAT: i32 = 0o100;
    pub const O_CLOEXEC: i32 = 0o2000000;
    pub const EPROTOTYPE: i32 = 91;
    pub const ENOBUFS: i32 = 105;
    pub const ENAMETOOLONG: i32 = 36;
}

/// Linux on MIPS kept IRIX's numbers (musl `arch/mips/bits/socket.h`, `mman.h`, `fcntl.h`,
/// `errno.h`): `SOCK_STREAM` is 2, not 1.
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    any(
        target_arch = "mips",
        target_arch = "mips64",
        target_arch = "mips32r6",
        target_arch = "mips64r6"
    )
))]
mod system {
    pub const SOCK_STREAM: i32 = 2;
    pub const MAP_ANONYMOUS: i32 = 0x800;
    pub const O_NONBLOCK: i32 = 0o200;
    pub const O_APPEND: i32 = 0o10;
    pub const O_CREAT: i32 = 0o400;
    pub const O_CLOEXEC: i32 = 0o2000000;
    pub const EPROTOTYPE: i32 = 98;
    pub const ENOBUFS: i32 = 132;
    pub const ENAMETOOLONG: i32 = 78;
}

/// The BSDs and macOS share 4.4BSD's numbers, except `O_CLOEXEC`.
#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly",
    target_vendor = "apple"
))]
mod system {
    pub const SOCK_STREAM: i32 = 1;
    pub const MAP_ANONYMOUS: i32 = 0x1000;
    pub const O_NONBLOCK: i32 = 0x4;
    pub const O_APPEND: i32 = 0x8;
    pub const O_CREAT: i32 = 0x200;
    #[cfg(target_os = "freebsd")]
    pub const O_CLOEXEC: i32 = 0x0010_0000;
    #[cfg(target_os = "dragonfly")]
    pub const O_CLOEXEC: i32 = 0x0002_0000;
    #[cfg(target_os = "openbsd")]
    pub const O_CLOEXEC: i32 = 0x0001_0000;
    #[cfg(target_os = "netbsd")]
    pub const O_CLOEXEC: i32 = 0x0040_0000;
    #[cfg(target_vendor = "apple")]
    pub const O_CLOEXEC: i32 = 0x0100_0000;
    pub const EPROTOTYPE: i32 = 41;
    pub const ENOBUFS: i32 = 55;
    pub const ENAMETOOLONG: i32 = 63;
}

// A target without a `system` module above fails here: its values must be looked up first.
use system::{MAP_ANONYMOUS, O_APPEND, O_CLOEXEC, O_CREAT, SOCK_STREAM};

/// `O_NONBLOCK`: an `open(2)` that must never wait. Opening a FIFO otherwise waits for the
/// other end (a writer waits for a reader, a reader for a writer) with no bound, which in a
/// hook freezes the whole OpenVPN server. On regular files the flag changes nothing.
/// [`open_file`] always passes it; tests pass it through `OpenOptionsExt::custom_flags`.
pub use system::O_NONBLOCK;

/// The error numbers std has no `ErrorKind` for.
pub mod errno {
    pub use super::system::{ENAMETOOLONG, ENOBUFS, EPROTOTYPE};
}

/// The smallest page size of the systems above: what `mmap` aligns to at least.
const PAGE: usize = 4096;

/// `struct sockaddr_un` (`<sys/un.h>`). Linux: `sa_family_t sun_family` (16 bits), then
/// `char sun_path[108]`.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[repr(C)]
struct SockaddrUn {
    sun_family: u16,
    sun_path: [u8; 108],
}

/// The BSDs and macOS (4.4BSD): `u_char sun_len` (the length of the address), an 8-bit
/// `sa_family_t sun_family`, then `char sun_path[104]`.
#[cfg(any(
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly",
    target_vendor = "apple"
))]
#[repr(C)]
struct SockaddrUn {
    sun_len: u8,
    sun_family: u8,
    sun_path: [u8; 104],
}

/// The process environment (`environ`, POSIX `<unistd.h>`); on macOS executables reach it
/// through `_NSGetEnviron()` (`<crt_externs.h>`), as std itself does.
#[cfg(not(target_vendor = "apple"))]
fn environment() -> *const *const c_char {
    extern "C" {
        static environ: *const *const c_char;
    }
    // SAFETY: `environ` is set up by the C library before `main` and only changed by
    // setenv(3)/putenv(3), which nothing in this program calls; reading the pointer is a plain
    // load of a static that no other thread writes.
    unsafe { environ }
}

#[cfg(target_vendor = "apple")]
fn environment() -> *const *const c_char {
    extern "C" {
        fn _NSGetEnviron() -> *const *const *const c_char;
    }
    // SAFETY: `_NSGetEnviron` takes no arguments and returns the address of the process's
    // `environ` variable, which is valid for the life of the process.
    unsafe { *_NSGetEnviron() }
}

/// The value of the environment variable `name`, copied: the first entry `name=VALUE` of the
/// process environment, as getenv(3) finds it, without copying the rest of the environment
/// (`std::env::vars_os` copies all of it; `std::env::var_os` costs three times as much per
/// lookup as this, mostly in musl's byte-wise `strncmp`). A name that is empty or holds `=` or
/// NUL is never set.
pub fn getenv(name: &[u8]) -> Option<Vec<u8>> {
    let (&first, rest) = name.split_first()?;
    if name.contains(&b'=') || name.contains(&0) {
        return None;
    }
    let mut entries = environment();
    if entries.is_null() {
        return None;
    }
    // SAFETY: `environ` points to an array of pointers that ends with a null pointer, each to
    // a NUL-terminated string, and nothing changes it while this runs (the hooks run one
    // thread and never call setenv(3)). An entry is read only up to its first byte that
    // differs from `name`, which is at the latest its terminating NUL since `name` holds none;
    // past `name=` only up to its NUL (`CStr::from_ptr`), and that value is copied before
    // anything else runs.
    unsafe {
        while !(*entries).is_null() {
            let entry = (*entries).cast::<u8>();
            // Most entries differ in the first byte: a lookup costs a few instructions each.
            if *entry == first
                && rest
                    .iter()
                    .enumerate()
                    .all(|(i, &b)| *entry.add(i + 1) == b)
                && *entry.add(name.len()) == b'='
            {
                let value = CStr::from_ptr(entry.add(name.len() + 1).cast());
                return Some(value.to_bytes().to_vec());
            }
            entries = entries.add(1);
        }
    }
    None
}

/// How [`open_file`] opens a file. Always close-on-exec (no command started later inherits it)
/// and with [`O_NONBLOCK`]: opening a FIFO never waits for its other end.
#[derive(Debug, Clone, Copy)]
pub enum OpenFor {
    Read,
    Write,
    /// Appending, created with this mode (before the umask) if missing.
    AppendOrCreate(u32),
}

/// `open(2)`. std's `OpenOptions::open` does the same, but two of its error values are boxed
/// strings, and their `Display` and `Debug` bring `core::fmt`'s string formatting into every
/// binary (some 3 KB), although no hook can ever meet them.
pub fn open_file(path: &Path, how: OpenFor) -> io::Result<std::fs::File> {
    let path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let (flags, mode) = match how {
        OpenFor::Read => (0, 0),
        OpenFor::Write => (O_WRONLY, 0),
        OpenFor::AppendOrCreate(mode) => (O_WRONLY | O_APPEND | O_CREAT, mode),
    };
    let flags = flags | O_CLOEXEC | O_NONBLOCK;
    loop {
        // SAFETY: `path` is NUL-terminated and outlives the call; the mode is passed as the
        // `unsigned int` that `open(2)`'s variadic argument is read as.
        match check(unsafe { open(path.as_ptr(), flags, std::ffi::c_uint::from(mode)) }) {
            // SAFETY: a descriptor open(2) just returned, owned by nothing else.
            Ok(fd) => return Ok(std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) })),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Standard output and standard error without std's `Stdout` and `Stderr`, whose locks and
/// line buffering are not needed here (a record, a diagnostic or a help text leaves in one
/// `write(2)` anyway) and cost 1.6 KB: every `write` is one `write(2)` on the descriptor.
#[derive(Debug, Clone, Copy)]
pub struct Output(c_int);

/// Descriptor 1.
pub fn stdout() -> Output {
    Output(1)
}

/// Descriptor 2.
pub fn stderr() -> Output {
    Output(2)
}

impl io::Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // SAFETY: `bytes` is valid for reading `bytes.len()` bytes during the call; descriptors
        // 1 and 2 are open (std's start-up opens /dev/null on any of 0, 1, 2 that is closed).
        let written = unsafe { write(self.0, bytes.as_ptr().cast(), bytes.len()) };
        usize::try_from(written).map_err(|_| io::Error::last_os_error())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Appends the C library's text for the OS error `code` (`No such file or directory`).
pub fn write_strerror(out: &mut Vec<u8>, code: i32) {
    // SAFETY: strerror(3) returns a pointer to a NUL-terminated string, which stays valid
    // until the next call to it in this thread (a static table in musl); it is copied at once.
    let text = unsafe { CStr::from_ptr(strerror(code)) };
    out.extend_from_slice(text.to_bytes());
}

/// The result of a C call that returns -1 and sets `errno` on failure.
fn check(result: c_int) -> io::Result<c_int> {
    if result == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

/// A fresh, unconnected `AF_UNIX` stream socket, non-blocking and closed on exec (so a
/// command started later never inherits it).
pub fn unix_stream_socket() -> io::Result<UnixStream> {
    // SAFETY: socket(2) takes plain integers and returns a new descriptor or -1.
    let fd = check(unsafe { socket(AF_UNIX, SOCK_STREAM, 0) })?;
    // SAFETY: `fd` was just returned by socket(2) and is owned by nothing else.
    let stream = UnixStream::from(unsafe { OwnedFd::from_raw_fd(fd) });
    // SAFETY: fcntl(2) with F_SETFD takes one `int` argument; `fd` is open (owned by `stream`).
    check(unsafe { fcntl(stream.as_raw_fd(), F_SETFD, FD_CLOEXEC) })?;
    stream.set_nonblocking(true)?;
    Ok(stream)
}

/// `connect(2)` for an `AF_UNIX` socket. For a stream socket made by [`unix_stream_socket`]
/// it fails with `EAGAIN` ([`io::ErrorKind::WouldBlock`]) instead of waiting while the
/// listener's backlog is full (Linux); calling it again on the same socket retries. A path too
/// long for an address fails with `ENAMETOOLONG`.
pub fn connect_unix(socket: &impl AsRawFd, path: &Path) -> io::Result<()> {
    let address = sockaddr_un(path)?;
    let length = u32::from(address.1);
    // SAFETY: `address.0` is a properly initialised `sockaddr_un` that lives across the call,
    // and `length` does not exceed its size (checked in `sockaddr_un`).
    check(unsafe { connect(socket.as_raw_fd(), &address.0, length) }).map(drop)
}

/// The address for `path` and the length to pass with it: up to and including the path's
/// terminating NUL, as std computes it. A path that does not fit is refused.
fn sockaddr_un(path: &Path) -> io::Result<(SockaddrUn, u8)> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let mut address = SockaddrUn {
        sun_family: AF_UNIX as u16,
        sun_path: [0; 108],
    };
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let mut address = SockaddrUn {
        sun_len: 0,
        sun_family: AF_UNIX as u8,
        sun_path: [0; 104],
    };
    let bytes = path.as_os_str().as_bytes();
    let capacity = address.sun_path.len();
    // The path must leave room for its terminating NUL.
    let Some(target) = address.sun_path.get_mut(..bytes.len()) else {
        return Err(io::Error::from_raw_os_error(errno::ENAMETOOLONG));
    };
    if bytes.len() >= capacity {
        return Err(io::Error::from_raw_os_error(errno::ENAMETOOLONG));
    }
    target.copy_from_slice(bytes);
    let offset = std::mem::size_of::<SockaddrUn>() - capacity;
    // At most 110 (Linux) or 106 (the BSDs): it fits `sun_len`.
    let length = u8::try_from(offset + bytes.len() + 1)
        .map_err(|_| io::Error::from_raw_os_error(errno::ENAMETOOLONG))?;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        address.sun_len = length;
    }
    Ok((address, length))
}

/// Sets the backlog of a listening socket (`listen(2)` again, which Linux and the BSDs allow).
/// For tests: std listens with the largest backlog the system allows, too many connections to
/// fill; a backlog of 1 is full after two.
pub fn set_backlog(listener: &UnixListener, backlog: i32) -> io::Result<()> {
    // SAFETY: listen(2) takes plain integers; the descriptor is open (owned by `listener`).
    check(unsafe { listen(listener.as_raw_fd(), backlog) }).map(drop)
}

/// Makes `file` the standard input of this process (`dup2(2)` onto descriptor 0), for a
/// command about to be started.
pub fn replace_stdin(file: &std::fs::File) -> io::Result<()> {
    // SAFETY: dup2(2) takes plain integers; the source descriptor is open (owned by `file`).
    // Replacing descriptor 0 invalidates nothing Rust owns: std keeps no handle on it.
    check(unsafe { dup2(file.as_raw_fd(), 0) }).map(drop)
}

/// Runs `program` with `argv` (`argv[0]` first) and this process's own environment,
/// descriptors and signal dispositions, as `execve(2)` would see them: no shell, no `PATH`
/// search (a name without a slash is relative to the working directory). Waits for it.
///
/// An `Err` means it could not be started (posix_spawn(3) reports the failed `execve`).
pub fn spawn_and_wait(program: &CStr, argv: &[&CStr]) -> io::Result<ExitStatus> {
    let mut pointers: Vec<*const c_char> = Vec::with_capacity(argv.len().saturating_add(1));
    pointers.extend(argv.iter().map(|arg| arg.as_ptr()));
    pointers.push(std::ptr::null());
    let mut pid: Pid = 0;
    // SAFETY: `program` and every `argv` string are NUL-terminated and outlive the call;
    // `pointers` ends with the null pointer that posix_spawn(3) requires; no file actions and
    // no attributes (both null) are allowed; `environment()` is the live, null-terminated
    // environment of this process, which nothing changes during the call.
    let error = unsafe {
        posix_spawn(
            &mut pid,
            program.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            pointers.as_ptr(),
            environment(),
        )
    };
    if error != 0 {
        return Err(io::Error::from_raw_os_error(error));
    }
    let mut status: c_int = 0;
    loop {
        // SAFETY: `status` is a valid place for waitpid(2) to write to; `pid` is our child.
        match check(unsafe { waitpid(pid, &mut status, 0) }) {
            Ok(_) => return Ok(ExitStatus::from_raw(status)),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
}

/// A bump allocator over a static block of `SIZE` bytes, for a short-lived process: what it
/// hands out is never reused. When the block is used up, requests get pages of their own from
/// `mmap(2)`, given back by `munmap(2)`. A hook run allocates a few kilobytes; the block is in
/// `.bss`, so it costs no file size and only the pages touched; and with no call to `malloc`
/// anywhere, musl's allocator (some 9 KB) is not linked at all.
#[repr(C, align(16))]
pub struct Arena<const SIZE: usize> {
    memory: UnsafeCell<[u8; SIZE]>,
    /// Bytes of `memory` handed out so far.
    used: AtomicUsize,
}

// SAFETY: the only shared mutable state is `used`, an atomic; each byte of `memory` is handed
// out at most once (compare-and-swap on `used`), so no two threads ever get the same bytes.
unsafe impl<const SIZE: usize> Sync for Arena<SIZE> {}

impl<const SIZE: usize> Arena<SIZE> {
    pub const fn new() -> Arena<SIZE> {
        Arena {
            memory: UnsafeCell::new([0; SIZE]),
            used: AtomicUsize::new(0),
        }
    }

    /// Whether `ptr` points into the block.
    fn contains(&self, ptr: *mut u8) -> bool {
        let start = self.memory.get() as usize;
        (start..start + SIZE).contains(&(ptr as usize))
    }
}

impl<const SIZE: usize> Default for Arena<SIZE> {
    fn default() -> Arena<SIZE> {
        Arena::new()
    }
}

// SAFETY: `alloc` returns either null, fresh pages from `mmap` (page-aligned, so aligned for
// any `layout` it accepts), or a range of the block that fits `layout` (aligned, `size` bytes
// inside the block) and that no other allocation has been or will be given; `dealloc` unmaps
// exactly what `mmap` mapped for that `layout`, and nothing of the block.
unsafe impl<const SIZE: usize> GlobalAlloc for Arena<SIZE> {
    // SAFETY: as for the impl above.
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = self.memory.get().cast::<u8>();
        let mut used = self.used.load(Ordering::Relaxed);
        loop {
            let pad = base.wrapping_add(used).align_offset(layout.align());
            let end = used
                .checked_add(pad)
                .and_then(|start| start.checked_add(layout.size()));
            let Some(end) = end.filter(|&end| end <= SIZE) else {
                return map_pages(layout);
            };
            match self
                .used
                .compare_exchange_weak(used, end, Ordering::Relaxed, Ordering::Relaxed)
            {
                // `used + pad <= end <= SIZE`: the offset stays inside the block.
                Ok(_) => return base.wrapping_add(used + pad),
                Err(now) => used = now,
            }
        }
    }

    // SAFETY: as for the impl above.
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !self.contains(ptr) {
            // SAFETY: not from the block, so mapped by `map_pages` for this `layout`'s size;
            // nothing uses it after `dealloc`.
            unsafe { munmap(ptr.cast(), layout.size()) };
        }
    }
}

/// Fresh zeroed pages for `layout`, or null (an alignment above a page is never asked for).
fn map_pages(layout: Layout) -> *mut u8 {
    if layout.align() > PAGE {
        return std::ptr::null_mut();
    }
    // SAFETY: an anonymous private mapping at an address of the kernel's choice touches no
    // existing memory; `MAP_FAILED` (all bits set) is turned into null.
    let pages = unsafe {
        mmap(
            std::ptr::null_mut(),
            layout.size(),
            PROT_READ_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if pages as usize == usize::MAX {
        std::ptr::null_mut()
    } else {
        pages.cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arena_aligns_and_maps_pages_when_full() {
        let arena: Arena<64> = Arena::new();
        // (size, align, expected offset in the block, or None for pages of its own)
        let cases: &[(usize, usize, Option<usize>)] = &[
            (3, 1, Some(0)),
            (8, 8, Some(8)),
            (1, 1, Some(16)),
            (16, 16, Some(32)),
            (17, 1, None),
            (15, 1, Some(48)),
            (1, 1, Some(63)),
            (1, 1, None),
            (100_000, 8, None),
        ];
        let start = arena.memory.get() as usize;
        for &(size, align, expected) in cases {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a non-zero size; the memory is written and given back below.
            let ptr = unsafe { arena.alloc(layout) };
            assert!(!ptr.is_null());
            assert_eq!(ptr as usize % align, 0, "{size} {align}");
            let offset = arena.contains(ptr).then(|| ptr as usize - start);
            assert_eq!(offset, expected, "{size} {align}");
            // SAFETY: `ptr` has `size` writable bytes and came from this allocator.
            unsafe {
                ptr.write_bytes(0xa5, size);
                arena.dealloc(ptr, layout);
            }
        }
        // More than a page of alignment is never asked for, and refused.
        let layout = Layout::from_size_align(16, 2 * PAGE).unwrap();
        // SAFETY: a non-zero size; nothing was allocated.
        assert!(unsafe { arena.alloc(layout) }.is_null());
    }

    #[test]
    fn strerror_is_what_io_error_shows() {
        for code in [2, 13, 36, 99999] {
            let mut out = Vec::new();
            write_strerror(&mut out, code);
            let expected = io::Error::from_raw_os_error(code).to_string();
            assert_eq!(
                format!("{} (os error {code})", String::from_utf8(out).unwrap()),
                expected
            );
        }
    }

    #[test]
    fn getenv_finds_exactly_the_name() {
        // The test binary's own environment: cargo sets CARGO_PKG_NAME for it.
        let cases: &[(&[u8], Option<&[u8]>)] = &[
            (b"CARGO_PKG_NAME", Some(b"vpn-log")),
            (b"CARGO_PKG_NAM", None),
            (b"CARGO_PKG_NAME=", None),
            (b"", None),
            (b"NO_SUCH_VARIABLE_IN_ANY_TEST", None),
        ];
        for &(name, expected) in cases {
            assert_eq!(getenv(name).as_deref(), expected, "{name:?}");
        }
    }
}
