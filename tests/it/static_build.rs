//! The shipped static binaries (`make static`, README.md "Building for your router"): budgets
//! for size, static linking, and no request for random bytes.
//!
//! Gated: `VPN_LOG_STATIC=1` checks `dist/<triple>/` as `make static` leaves it (the tiny
//! route), `VPN_LOG_STATIC_STABLE=1` also `dist/stable/<triple>/` (`make static-stable`).

use crate::util::{gate, read, require_program, run, TempDir, ALICE, CONNECT, DISCONNECT};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const X86_64: &str = "x86_64-unknown-linux-musl";
/// The budgets of the issue, per binary, with syslog: the tiny route (std rebuilt for size,
/// immediate-abort panics) and the plain stable route (rustup's prebuilt musl std).
const TINY_BUDGET: u64 = 80 * 1024;
const STABLE_BUDGET: u64 = 450 * 1024;

fn dist() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist")
}

/// The two hooks in `dir`, which must exist: the gate says they were built.
fn hooks_in(dir: &Path) -> [PathBuf; 2] {
    [CONNECT, DISCONNECT].map(|program| {
        let path = dir.join(program);
        assert!(
            path.is_file(),
            "{} missing: build it first (make static / make static-stable)",
            path.display()
        );
        path
    })
}

/// What `command` printed on stdout; its exit status is the caller's business.
fn output_of(command: &mut Command) -> String {
    run(command.stdin(Stdio::null())).stdout()
}

/// How a binary is linked, in the words of `file(1)` and `ldd(1)`.
#[derive(Clone, Copy)]
enum Linking {
    /// The tiny route: a plain static executable (musl-gcc cannot make static-pie).
    Static,
    /// The stable route: rustup's musl target links static-pie by default.
    StaticPie,
}

/// Asserts that `file(1)` and, for the host's architecture, `ldd(1)` see `binary` linked as
/// `linking` says: no dynamic loader, no shared library.
fn check_static(binary: &Path, linking: Linking) {
    require_program("file", "file");
    let file = output_of(Command::new("file").arg(binary));
    let (file_says, ldd_says) = match linking {
        Linking::Static => ("statically linked", "not a dynamic executable"),
        Linking::StaticPie => ("static-pie linked", "statically linked"),
    };
    assert!(file.contains(file_says), "file(1) says: {file}");
    if file.contains("x86-64") {
        // ldd(1) only understands binaries of the host's architecture.
        let ldd = run(Command::new("ldd").arg(binary));
        let said = format!("{}{}", ldd.stdout(), ldd.stderr());
        assert!(said.contains(ldd_says), "ldd(1) says: {said}");
    }
}

/// Asserts the size budget of both hooks in `dir` and prints their sizes.
fn check_budget(dir: &Path, budget: u64, linking: Linking) {
    for binary in hooks_in(dir) {
        let size = std::fs::metadata(&binary).unwrap().len();
        eprintln!("{}: {size} bytes (budget {budget})", binary.display());
        assert!(
            size <= budget,
            "{} is {size} bytes, over its budget of {budget} ({} KiB)",
            binary.display(),
            budget / 1024
        );
        check_static(&binary, linking);
    }
}

/// Runs both hooks in `dir` under strace(1): neither may call getrandom(2) or open a random
/// device. glibc's malloc does the first before `main` in every glibc build, and std's
/// `HashMap` on first use; the shipped musl builds must do neither.
fn check_no_random_bytes(dir: &Path) {
    let strace = require_program("strace", "strace");
    let temp = TempDir::new("strace");
    let log = temp.join("records.log");
    for binary in hooks_in(dir) {
        let trace = temp.join("trace");
        let mut command = Command::new(&strace);
        command
            .args(["-f", "-e", "trace=getrandom,openat,open", "-o"])
            .arg(&trace)
            .arg(&binary)
            .args(["--utc", "--file"])
            .arg(&log)
            .env_clear()
            .envs(ALICE.iter().copied());
        let done = run(command.stdin(Stdio::null()));
        done.expect_code(0).expect_stderr_empty();
        let trace = read(&trace);
        // The trace must show the log being opened, or strace saw nothing at all.
        assert!(
            trace.contains("records.log"),
            "strace did not trace {}:\n{trace}",
            binary.display()
        );
        for forbidden in ["getrandom(", "/dev/urandom", "/dev/random"] {
            assert!(
                !trace.contains(forbidden),
                "{} asks for random bytes ({forbidden}):\n{trace}",
                binary.display()
            );
        }
    }
    assert_eq!(read(&log).lines().count(), 2, "one record per hook");
}

#[test]
fn tiny_x86_64_hooks_fit_80_kib_and_are_static() {
    if gate("VPN_LOG_STATIC") {
        check_budget(&dist().join(X86_64), TINY_BUDGET, Linking::Static);
    }
}

#[test]
fn tiny_x86_64_hooks_never_ask_for_random_bytes() {
    if gate("VPN_LOG_STATIC") {
        check_no_random_bytes(&dist().join(X86_64));
    }
}

#[test]
fn every_target_built_is_static_and_its_size_is_printed() {
    if !gate("VPN_LOG_STATIC") {
        return;
    }
    let mut targets: Vec<PathBuf> = std::fs::read_dir(dist())
        .unwrap_or_else(|e| panic!("{}: {e}: run make static", dist().display()))
        .map(|entry| entry.unwrap().path())
        // Only the per-target directories: dist/ also holds the packages and the source
        // tarball (make deb, make rpm, make dist).
        .filter(|path| path.is_dir() && path.file_name().is_some_and(|n| n != "stable"))
        .collect();
    targets.sort();
    assert!(!targets.is_empty(), "nothing in {}", dist().display());
    for target in targets {
        for binary in hooks_in(&target) {
            let size = std::fs::metadata(&binary).unwrap().len();
            eprintln!("{}: {size} bytes", binary.display());
            check_static(&binary, Linking::Static);
        }
    }
}

#[test]
fn stable_route_x86_64_hooks_fit_450_kib_and_are_static() {
    if gate("VPN_LOG_STATIC_STABLE") {
        let dir = dist().join("stable").join(X86_64);
        check_budget(&dir, STABLE_BUDGET, Linking::StaticPie);
    }
}

#[test]
fn stable_route_x86_64_hooks_never_ask_for_random_bytes() {
    if gate("VPN_LOG_STATIC_STABLE") {
        check_no_random_bytes(&dist().join("stable").join(X86_64));
    }
}
