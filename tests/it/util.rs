//! Test helpers: temporary directories, running the hooks, a seeded PRNG, gates.
//!
//! The hooks are run from the binaries cargo built, or from `$VPN_LOG_BIN_DIR` when it is set
//! (static and cross builds), through `$VPN_LOG_RUNNER` when that is set (`qemu-aarch64-static`
//! for foreign binaries). Every command gets an explicit, otherwise empty environment: OpenVPN
//! gives hooks nothing else, and `std::env::set_var` would race between parallel tests.
#![allow(dead_code)] // Not every suite uses every helper.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const CONNECT: &str = "vpn-connect-log";
pub const DISCONNECT: &str = "vpn-disconnect-log";

/// Alice's session: a complete disconnect environment as OpenVPN 2.6 sets it, trimmed to what
/// the records use (client-connect ignores the disconnect-only variables).
pub const ALICE: &[(&str, &str)] = &[
    ("script_type", "client-disconnect"),
    ("common_name", "alice"),
    ("ifconfig_pool_remote_ip", "10.8.0.6"),
    ("trusted_ip", "198.51.100.7"),
    ("trusted_port", "50123"),
    ("time_unix", "1700000000"),
    ("time_duration", "3900"),
    ("bytes_received", "1005000"),
    ("bytes_sent", "28948"),
];

/// Alice's classic connect record, in UTC.
pub const ALICE_CONNECT: &str =
    "User 'alice' at 2023-11-14-22:13 using 10.8.0.6 from 198.51.100.7:50123\n";

/// Alice's classic disconnect record, in UTC.
pub const ALICE_DISCONNECT: &str = "User 'alice' using 10.8.0.6 from 198.51.100.7:50123 for \
    2023-11-14-22:13 to 2023-11-14-23:18 (1:05) BW(up/down) 1.005/0.028\n";

/// A directory under the system temp dir, unique per test process and call, removed on drop.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("vpn-log-it-{}-{n}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("mkdir {}: {e}", path.display()));
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The path of a hook binary under test.
pub fn hook_path(program: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("VPN_LOG_BIN_DIR") {
        return PathBuf::from(dir).join(program);
    }
    PathBuf::from(match program {
        CONNECT => env!("CARGO_BIN_EXE_vpn-connect-log"),
        DISCONNECT => env!("CARGO_BIN_EXE_vpn-disconnect-log"),
        other => panic!("no such program {other}"),
    })
}

/// A command that runs `program` (through `$VPN_LOG_RUNNER` if set) with an empty
/// environment and no stdin.
pub fn hook_command(program: &str) -> Command {
    let binary = hook_path(program);
    let mut command = match std::env::var_os("VPN_LOG_RUNNER") {
        Some(runner) if !runner.is_empty() => {
            // Found on the tests' PATH now: std would search the PATH a test gives the hook.
            let runner = PathBuf::from(&runner);
            let runner = match runner.to_str() {
                Some(name) if !name.contains('/') => find_program(name).unwrap_or(runner),
                _ => runner,
            };
            let mut c = Command::new(runner);
            c.arg(binary);
            c
        }
        _ => Command::new(binary),
    };
    command.env_clear().stdin(Stdio::null());
    command
}

/// A hook invocation under construction.
pub struct Hook {
    command: Command,
}

impl Hook {
    pub fn connect() -> Hook {
        Hook::new(CONNECT)
    }

    pub fn disconnect() -> Hook {
        Hook::new(DISCONNECT)
    }

    pub fn new(program: &str) -> Hook {
        Hook {
            command: hook_command(program),
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Hook {
        self.command.arg(arg);
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Hook {
        self.command.args(args);
        self
    }

    /// Sets one variable to raw bytes (names and values need not be UTF-8).
    pub fn env(mut self, name: &str, value: impl AsRef<[u8]>) -> Hook {
        use std::os::unix::ffi::OsStrExt;
        self.command.env(name, OsStr::from_bytes(value.as_ref()));
        self
    }

    pub fn envs(mut self, pairs: &[(&str, &str)]) -> Hook {
        for (name, value) in pairs {
            self.command.env(name, value);
        }
        self
    }

    /// Gives access to the underlying command (stdio, pre-exec settings).
    pub fn command(&mut self) -> &mut Command {
        &mut self.command
    }

    pub fn run(mut self) -> Run {
        run(&mut self.command)
    }
}

/// The result of a finished command, printable in full when an assertion fails.
pub struct Run {
    pub description: String,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Everything about the run, for failure messages.
    pub fn report(&self) -> String {
        let mut text = String::new();
        let _ = write!(
            text,
            "command: {}\nstatus: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.description,
            self.status,
            self.stdout(),
            self.stderr()
        );
        text
    }

    /// Asserts the exit code, printing everything if it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.status.code(), Some(code), "\n{}", self.report());
        self
    }

    pub fn expect_stderr_empty(&self) -> &Run {
        assert!(
            self.stderr.is_empty(),
            "stderr not empty\n{}",
            self.report()
        );
        self
    }
}

/// The longest any single command in the tests may take: a hook that hangs must fail the test,
/// not the CI run.
pub const RUN_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs `command` to completion, capturing stdout and stderr; kills it and fails the test if it
/// takes longer than [`RUN_DEADLINE`].
pub fn run(command: &mut Command) -> Run {
    use std::io::Read;
    let description = format!("{command:?}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {description}: {e}"));
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if started.elapsed() > RUN_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{description} did not finish within {RUN_DEADLINE:?}; killed");
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    Run {
        description,
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// What `date(1)` prints for `unix` in UTC with `format` (C locale): the reference the tests
/// hold the hooks' own time formatting to.
pub fn utc_date(unix: i64, format: &str) -> String {
    let run = run(Command::new("date")
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "UTC0")
        .arg(format!("-d@{unix}"))
        .arg(format!("+{format}")));
    assert!(run.status.success(), "{}", run.report());
    run.stdout().trim_end_matches('\n').to_string()
}

/// Makes a FIFO (named pipe) at `path` with mkfifo(1): std has no call for it.
pub fn mkfifo(path: &Path) {
    let run = run(Command::new(require_program("mkfifo", "coreutils")).arg(path));
    assert!(run.status.success(), "{}", run.report());
}

/// A stand-in for the syslog daemon: a datagram socket the test binds and reads messages from.
pub struct SyslogReceiver {
    socket: std::os::unix::net::UnixDatagram,
}

impl SyslogReceiver {
    pub fn bind(path: &Path) -> SyslogReceiver {
        let socket = std::os::unix::net::UnixDatagram::bind(path)
            .unwrap_or_else(|e| panic!("bind {}: {e}", path.display()));
        socket
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("read timeout");
        SyslogReceiver { socket }
    }

    /// The next message; fails with `run`'s report if none comes within five seconds.
    pub fn message(&self, run: &Run) -> Vec<u8> {
        let mut buffer = [0u8; 4096];
        let len = self
            .socket
            .recv(&mut buffer)
            .unwrap_or_else(|e| panic!("nothing received: {e}\n{}", run.report()));
        buffer[..len].to_vec()
    }
}

/// Reads a file the test expects to exist.
pub fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Whether the gate variable `name` is set to `1`: the suite it guards must then run, and fail
/// loudly if it cannot.
pub fn gate(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v == "1")
}

/// Whether this process runs as root (uid 0), read from /proc/self/status so no libc is
/// needed.
pub fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        == Some("0")
}

/// Fails the test unless it runs as root, or returns false (the test then ends at once) when
/// `VPN_LOG_SKIP_ROOT=1` says root-only tests are knowingly skipped on this machine.
pub fn require_root(what: &str) -> bool {
    if is_root() {
        return true;
    }
    if gate("VPN_LOG_SKIP_ROOT") {
        eprintln!("SKIPPED (not root, VPN_LOG_SKIP_ROOT=1): {what}");
        return false;
    }
    panic!("{what} needs root; run the tests as root or set VPN_LOG_SKIP_ROOT=1 to skip them");
}

/// Whether the hooks run natively, not through `$VPN_LOG_RUNNER`. A test that cannot work
/// through an emulator (root namespaces around the hook, daemons that check the sender's
/// process) starts with `if !native_only("...") { return; }`: it says why it skipped.
pub fn native_only(what: &str) -> bool {
    match std::env::var_os("VPN_LOG_RUNNER") {
        Some(runner) if !runner.is_empty() => {
            eprintln!(
                "SKIPPED (hooks run through {}): {what}",
                runner.to_string_lossy()
            );
            false
        }
        _ => true,
    }
}

/// Fails the test unless `program` is on PATH, naming the Debian package to install.
pub fn require_program(program: &str, package: &str) -> PathBuf {
    find_program(program).unwrap_or_else(|| {
        panic!("{program} not found on PATH: install the Debian package '{package}'")
    })
}

/// Where `program` is on the tests' PATH.
fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A small, fixed-seed pseudo-random generator (SplitMix64) for randomized tests. Tests print
/// the seed on failure so a failing case can be replayed.
pub struct Prng {
    state: u64,
}

impl Prng {
    pub fn new(seed: u64) -> Prng {
        Prng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `low..=high`.
    pub fn range_i64(&mut self, low: i64, high: i64) -> i64 {
        let span = (high as i128 - low as i128 + 1) as u128;
        (low as i128 + (self.next_u64() as u128 % span) as i128) as i64
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }
}
