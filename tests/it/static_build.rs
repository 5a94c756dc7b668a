//! The shipped static binaries (`make static`, README.md "Building for your router"): static
//! linking, no request for random bytes, the size and instruction budgets, and the same
//! records from the oldest toolchain Cargo.toml's `rust-version` allows.
//!
//! One test checks one property of one build, so that each can fail CI on its own. Gated, one
//! variable per route (README.md, "Testing"); a gated test whose build is missing fails:
//! - `VPN_LOG_STATIC=1`: the tiny route, `dist/<triple>/` for the four targets
//!   (`make static-all`) and `dist/no-default-features/x86_64-unknown-linux-musl/`
//!   (`make static-no-default-features`);
//! - `VPN_LOG_STATIC_STABLE=1`: rustup's stable route, `dist/stable/x86_64-unknown-linux-musl/`
//!   (`make static-stable`);
//! - `VPN_LOG_STATIC_OLDEST=1`: `dist/oldest/x86_64-unknown-linux-musl/` (`make static-oldest`),
//!   compared with the tiny route's x86_64 build.
//!
//! A missed budget fails with a message that starts with "over budget"; `.ci/static` relies on
//! it for the budgets `.ci/known-failures` lists as not met yet (README.md, "Size").

use crate::util::{gate, read, require_program, run, Run, TempDir, ALICE, CONNECT, DISCONNECT};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const KIB: u64 = 1024;

/// How a build's binaries are linked, in the words of `file(1)` and `ldd(1)`.
#[derive(Clone, Copy)]
enum Linking {
    /// The tiny route: a plain static executable (musl-gcc cannot make static-pie).
    Static,
    /// The stable route: rustup's musl target links static-pie by default.
    StaticPie,
}

/// One build of the two hooks: where `make` leaves it and which gate switches its tests on.
struct Build {
    gate: &'static str,
    /// Below `dist/`.
    dir: &'static str,
    /// What builds it, for the failure message when it is missing.
    make: &'static str,
    linking: Linking,
}

/// A build of the tiny route (`VPN_LOG_STATIC=1`): a plain static executable.
const fn tiny(dir: &'static str, make: &'static str) -> Build {
    Build {
        gate: "VPN_LOG_STATIC",
        dir,
        make,
        linking: Linking::Static,
    }
}

const TINY_X86_64: Build = tiny("x86_64-unknown-linux-musl", "make static");
const TINY_AARCH64: Build = tiny(
    "aarch64-unknown-linux-musl",
    "make static TARGET=aarch64-unknown-linux-musl",
);
const TINY_ARMV7: Build = tiny(
    "armv7-unknown-linux-musleabihf",
    "make static TARGET=armv7-unknown-linux-musleabihf",
);
const TINY_MIPSEL: Build = tiny(
    "mipsel-unknown-linux-musl",
    "make static TARGET=mipsel-unknown-linux-musl",
);
const TINY_X86_64_NO_DEFAULT_FEATURES: Build = tiny(
    "no-default-features/x86_64-unknown-linux-musl",
    "make static-no-default-features",
);
const STABLE_X86_64: Build = Build {
    gate: "VPN_LOG_STATIC_STABLE",
    dir: "stable/x86_64-unknown-linux-musl",
    make: "make static-stable",
    linking: Linking::StaticPie,
};
const OLDEST_X86_64: Build = Build {
    gate: "VPN_LOG_STATIC_OLDEST",
    dir: "oldest/x86_64-unknown-linux-musl",
    make: "make static-oldest",
    linking: Linking::Static,
};

impl Build {
    /// Whether this build's tests run.
    fn wanted(&self) -> bool {
        gate(self.gate)
    }

    /// The path of `program` in this build, which must exist: the gate says it was built.
    fn hook(&self, program: &str) -> PathBuf {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("dist")
            .join(self.dir)
            .join(program);
        assert!(
            path.is_file(),
            "{} missing ({}=1): build it first with `{}`",
            path.display(),
            self.gate,
            self.make
        );
        path
    }

    fn hooks(&self) -> [PathBuf; 2] {
        [self.hook(CONNECT), self.hook(DISCONNECT)]
    }
}

/// What `command` printed on stdout; its exit status is the caller's business.
fn output_of(command: &mut Command) -> String {
    run(command.stdin(Stdio::null())).stdout()
}

/// Asserts that `file(1)` and, for the host's architecture, `ldd(1)` see both hooks of `build`
/// linked as it says: no dynamic loader, no shared library.
fn check_static(build: &Build) {
    if !build.wanted() {
        return;
    }
    require_program("file", "file");
    let (file_says, ldd_says) = match build.linking {
        Linking::Static => ("statically linked", "not a dynamic executable"),
        Linking::StaticPie => ("static-pie linked", "statically linked"),
    };
    for binary in build.hooks() {
        let file = output_of(Command::new("file").arg(&binary));
        assert!(file.contains(file_says), "file(1) says: {file}");
        if file.contains("x86-64") {
            // ldd(1) only understands binaries of the host's architecture.
            let ldd = run(Command::new("ldd").arg(&binary));
            let said = format!("{}{}", ldd.stdout(), ldd.stderr());
            assert!(said.contains(ldd_says), "ldd(1) says: {said}");
        }
    }
}

/// Asserts that neither hook of `build` is bigger than `budget` bytes, printing both sizes.
fn check_size(build: &Build, budget: u64) {
    if !build.wanted() {
        return;
    }
    let mut over = Vec::new();
    for binary in build.hooks() {
        let size = std::fs::metadata(&binary).unwrap().len();
        eprintln!("{}: {size} bytes (budget {budget})", binary.display());
        if size > budget {
            over.push(format!("{} is {size} bytes", binary.display()));
        }
    }
    assert!(
        over.is_empty(),
        "over budget: {} (budget {budget} bytes = {} KiB per binary)",
        over.join(", "),
        budget / KIB
    );
}

/// Runs both hooks of `build` under strace(1): neither may call getrandom(2) or open a random
/// device. glibc's malloc does the first before `main` in every glibc build, and std's
/// `HashMap` on first use; the shipped musl builds must do neither.
fn check_no_random_bytes(build: &Build) {
    if !build.wanted() {
        return;
    }
    let strace = require_program("strace", "strace");
    let temp = TempDir::new("strace");
    let log = temp.join("records.log");
    for binary in build.hooks() {
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

/// The environment a real OpenVPN 2.6.14 server gave `hook` (`tests/data/openvpn-env/`,
/// README.md there): every variable, in the server's order.
fn openvpn_env(hook: &str) -> Vec<(OsString, OsString)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/openvpn-env")
        .join(format!("{hook}.env0"));
    let block = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vars: Vec<(OsString, OsString)> = block
        .split(|&b| b == 0)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let eq = entry.iter().position(|&b| b == b'=').expect("NAME=VALUE");
            let (name, value) = (entry[..eq].to_vec(), entry[eq + 1..].to_vec());
            (OsString::from_vec(name), OsString::from_vec(value))
        })
        .collect();
    assert!(
        vars.len() >= 59,
        "{}: {} variables",
        path.display(),
        vars.len()
    );
    vars
}

/// The zone the measurements use: OpenVPN passes no `TZ`, so a hook normally reads
/// `/etc/localtime`; naming a real zone file in `TZ` makes it parse the same kind of file on
/// every machine (this one's `/etc/localtime` may be UTC, or missing).
const ZONE_FILE: &str = "/usr/share/zoneinfo/Europe/Berlin";

fn zone_file() -> &'static str {
    assert!(
        Path::new(ZONE_FILE).is_file(),
        "{ZONE_FILE} missing: install the Debian package 'tzdata'"
    );
    ZONE_FILE
}

/// The instructions per hook run: both hooks of the tiny x86_64 build, each with the real
/// environment of its event plus `TZ` naming a zone file, writing its record to a file.
const INSTRUCTION_BUDGET: u64 = 40_000;

/// Counts the instructions of one run of `program` under callgrind and asserts the budget.
fn check_instructions(program: &str, hook: &str) {
    if !TINY_X86_64.wanted() {
        return;
    }
    let valgrind = require_program("valgrind", "valgrind");
    let temp = TempDir::new("callgrind");
    let out = temp.join("callgrind.out");
    let log = temp.join("records.log");
    let mut command = Command::new(valgrind);
    command
        .args(["-q", "--tool=callgrind"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(TINY_X86_64.hook(program))
        .arg("--file")
        .arg(&log);
    if program == CONNECT {
        // OpenVPN's client-config file, which the hook leaves alone.
        command.arg(temp.join("openvpn_cc.tmp"));
    }
    command
        .env_clear()
        .envs(openvpn_env(hook))
        .env("TZ", zone_file());
    let done = run(&mut command);
    done.expect_code(0).expect_stderr_empty();
    assert_eq!(
        read(&log).lines().count(),
        1,
        "one record\n{}",
        done.report()
    );
    // callgrind's output file ends with `totals: <instructions>` (older versions: `summary:`).
    let counts = read(&out);
    let instructions: u64 = counts
        .lines()
        .find_map(|l| l.strip_prefix("totals: ").or(l.strip_prefix("summary: ")))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no totals in {}:\n{counts}", out.display()));
    eprintln!("{program}: {instructions} instructions (budget {INSTRUCTION_BUDGET})");
    assert!(
        instructions <= INSTRUCTION_BUDGET,
        "over budget: {program} ran {instructions} instructions with {hook}.env0 and \
         TZ={ZONE_FILE} (budget {INSTRUCTION_BUDGET})"
    );
}

// --- Static linking -------------------------------------------------------------------------

#[test]
fn static_linking_tiny_x86_64() {
    check_static(&TINY_X86_64);
}

#[test]
fn static_linking_tiny_aarch64() {
    check_static(&TINY_AARCH64);
}

#[test]
fn static_linking_tiny_armv7() {
    check_static(&TINY_ARMV7);
}

#[test]
fn static_linking_tiny_mipsel() {
    check_static(&TINY_MIPSEL);
}

#[test]
fn static_linking_tiny_x86_64_no_default_features() {
    check_static(&TINY_X86_64_NO_DEFAULT_FEATURES);
}

#[test]
fn static_linking_stable_x86_64() {
    check_static(&STABLE_X86_64);
}

#[test]
fn static_linking_oldest_x86_64() {
    check_static(&OLDEST_X86_64);
}

// --- No getrandom(2) ------------------------------------------------------------------------

#[test]
fn no_getrandom_tiny_x86_64() {
    check_no_random_bytes(&TINY_X86_64);
}

#[test]
fn no_getrandom_tiny_x86_64_no_default_features() {
    check_no_random_bytes(&TINY_X86_64_NO_DEFAULT_FEATURES);
}

#[test]
fn no_getrandom_stable_x86_64() {
    check_no_random_bytes(&STABLE_X86_64);
}

#[test]
fn no_getrandom_oldest_x86_64() {
    check_no_random_bytes(&OLDEST_X86_64);
}

// --- Budgets (per binary; README.md, "Size") --------------------------------------------------

#[test]
fn size_budget_tiny_x86_64_80_kib() {
    check_size(&TINY_X86_64, 80 * KIB);
}

#[test]
fn size_budget_tiny_armv7_80_kib() {
    check_size(&TINY_ARMV7, 80 * KIB);
}

#[test]
fn size_budget_tiny_aarch64_84_kib() {
    check_size(&TINY_AARCH64, 84 * KIB);
}

#[test]
fn size_budget_tiny_mipsel_112_kib() {
    check_size(&TINY_MIPSEL, 112 * KIB);
}

#[test]
fn size_budget_tiny_x86_64_no_default_features_64_kib() {
    check_size(&TINY_X86_64_NO_DEFAULT_FEATURES, 64 * KIB);
}

#[test]
fn size_budget_stable_x86_64_450_kib() {
    check_size(&STABLE_X86_64, 450 * KIB);
}

#[test]
fn instruction_budget_connect_40000() {
    check_instructions(CONNECT, "client-connect");
}

#[test]
fn instruction_budget_disconnect_40000() {
    check_instructions(DISCONNECT, "client-disconnect");
}

// --- The oldest toolchain ---------------------------------------------------------------------

/// One run of `binary` with the real OpenVPN environment of `hook` and `TZ` naming a zone
/// file, the record on stdout.
fn record_of(binary: &Path, hook: &str, args: &[&str], scratch: &Path) -> Run {
    let mut command = Command::new(binary);
    command.args(args).args(["--file", "-"]);
    if hook == "client-connect" {
        command.arg(scratch.join("openvpn_cc.tmp"));
    }
    command
        .env_clear()
        .envs(openvpn_env(hook))
        .env("TZ", zone_file());
    run(command.stdin(Stdio::null()))
}

/// A record with the value of JSON's `"time"` (the moment of the run) blanked out.
fn without_run_time(record: &str) -> String {
    const KEY: &str = "\"time\":\"";
    match record.find(KEY) {
        Some(at) => {
            let value = at + KEY.len();
            let end = record[value..]
                .find('"')
                .map_or(record.len(), |n| value + n);
            format!("{}{}", &record[..value], &record[end..])
        }
        None => record.to_string(),
    }
}

/// The hooks built by the oldest toolchain make, byte for byte, the records of the tiny route's
/// x86_64 build, for both real environments, in both formats, in local time and in UTC.
#[test]
fn same_records_oldest_and_tiny_x86_64() {
    if !OLDEST_X86_64.wanted() {
        return;
    }
    let temp = TempDir::new("oldest");
    let cases: &[&[&str]] = &[&[], &["--utc"], &["--format", "json"]];
    for (program, hook) in [
        (CONNECT, "client-connect"),
        (DISCONNECT, "client-disconnect"),
    ] {
        for args in cases {
            let [oldest, tiny] = [&OLDEST_X86_64, &TINY_X86_64]
                .map(|build| record_of(&build.hook(program), hook, args, temp.path()));
            for done in [&oldest, &tiny] {
                done.expect_code(0).expect_stderr_empty();
                assert_eq!(done.stdout().lines().count(), 1, "{}", done.report());
            }
            assert_eq!(
                without_run_time(&oldest.stdout()),
                without_run_time(&tiny.stdout()),
                "{program} {args:?}: the oldest toolchain's record differs\n{}\n{}",
                oldest.report(),
                tiny.report()
            );
        }
    }
}
