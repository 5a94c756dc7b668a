//! The bench: prerequisites, network namespaces and processes, all torn down on drop.
//!
//! Everything a scenario starts is owned by its [`Lab`], so a failed assertion (a panic) still
//! kills every process it started, by PID, and deletes every namespace it made. Processes go
//! first: a namespace is only freed once no process is left in it.

use crate::util::{
    self, gate, hook_path, require_program, require_root, TempDir, CONNECT, DISCONNECT,
};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The variable that switches the suite on.
pub const GATE: &str = "VPN_LOG_E2E";

/// The programs the suite runs, found once on PATH.
#[derive(Clone)]
pub struct Tools {
    pub openvpn: PathBuf,
    pub openssl: PathBuf,
    pub ip: PathBuf,
    pub ping: PathBuf,
    pub bash: PathBuf,
    pub sh: PathBuf,
    pub env: PathBuf,
    pub date: PathBuf,
    pub rsyslogd: PathBuf,
}

/// `None` when the gate is off (the suite is skipped); otherwise everything the suite needs, or
/// a panic naming what is missing: with the gate on, nothing is skipped silently (only
/// `VPN_LOG_SKIP_ROOT=1` knowingly skips it when not root, as for every root-only test).
pub fn prerequisites() -> Option<Tools> {
    prerequisites_for(GATE)
}

/// [`prerequisites`] under another gate (the stall benchmark's), which names it in failures.
pub fn prerequisites_for(gate_name: &str) -> Option<Tools> {
    if !gate(gate_name) {
        return None;
    }
    if !require_root("the OpenVPN end-to-end suite (network namespaces, tun devices)") {
        return None;
    }
    assert!(
        Path::new("/dev/net/tun").exists(),
        "{gate_name}=1: the OpenVPN suite needs /dev/net/tun (load the tun module, or give the \
         container the device)"
    );
    for program in [CONNECT, DISCONNECT] {
        let path = hook_path(program);
        assert!(
            path.is_file(),
            "{gate_name}=1: no hook binary {} (build it, or fix VPN_LOG_BIN_DIR)",
            path.display()
        );
        config_safe(&path);
    }
    Some(Tools {
        openvpn: require_program("openvpn", "openvpn"),
        openssl: require_program("openssl", "openssl"),
        ip: require_program("ip", "iproute2"),
        ping: require_program("ping", "iputils-ping"),
        bash: require_program("bash", "bash"),
        sh: require_program("sh", "dash"),
        env: require_program("env", "coreutils"),
        date: require_program("date", "coreutils"),
        rsyslogd: require_program("rsyslogd", "rsyslog"),
    })
}

/// `path` as it can stand in an OpenVPN config line and inside a quoted hook command string,
/// which OpenVPN splits on whitespace: the suite refuses paths that would need quoting.
pub fn config_safe(path: &Path) -> String {
    let text = path
        .to_str()
        .unwrap_or_else(|| panic!("path {path:?} is not UTF-8"));
    assert!(
        !text.is_empty()
            && !text
                .chars()
                .any(|c| c.is_whitespace() || "\"'\\#;".contains(c)),
        "path {text:?} needs quoting in an OpenVPN config; use a plain TMPDIR / VPN_LOG_BIN_DIR"
    );
    text.to_owned()
}

/// Polls `probe` every 100 ms until it returns a value, or fails naming `what` after `limit`.
pub fn poll<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            started.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A network namespace made by this suite, deleted on drop.
pub struct Netns {
    pub name: String,
    ip: PathBuf,
}

impl Drop for Netns {
    fn drop(&mut self) {
        let status = Command::new(&self.ip)
            .args(["netns", "del", &self.name])
            .stdin(Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!(
                "could not delete network namespace {}: {status:?}",
                self.name
            );
        }
    }
}

/// A long-running process (server or client) started by this suite, its stdout and stderr in
/// a log file. Killed (SIGKILL) and reaped on drop if still running.
pub struct Daemon {
    pub name: String,
    pub log: PathBuf,
    child: Option<Child>,
    status: Option<ExitStatus>,
}

impl Daemon {
    /// Sends SIGTERM through `kill(1)` (std only sends SIGKILL). The child is not reaped yet,
    /// so its PID cannot have been reused.
    fn terminate(&self, sh: &Path) {
        let child = self.child.as_ref().expect("terminate a running daemon");
        let pid = child.id().to_string();
        util::run(Command::new(sh).args(["-c", "kill -s TERM \"$1\"", "sh", &pid])).expect_code(0);
    }

    /// Sends SIGKILL.
    pub fn kill(&mut self) {
        let child = self.child.as_mut().expect("kill a running daemon");
        child
            .kill()
            .unwrap_or_else(|e| panic!("kill {}: {e}", self.name));
    }

    /// Whether the process has ended (it is then reaped and its status kept).
    fn exited(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            let child = self.child.as_mut()?;
            if let Some(status) = child.try_wait().expect("try_wait") {
                self.status = Some(status);
                self.child = None;
            }
        }
        self.status
    }

    /// Waits for the process to end, at most `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let what = format!("{} to exit", self.name);
        poll(&what, limit, || self.exited())
    }

    /// Waits for the process to end by itself, at most `limit`, and requires `needle` in
    /// its log.
    pub fn wait_for_exit_after(&mut self, needle: &str, limit: Duration) {
        self.wait_exit(limit);
        let log = util::read(&self.log);
        assert!(
            log.contains(needle),
            "{} ended without {needle:?}",
            self.name
        );
    }

    /// Waits until `path` exists, at most `limit`; fails early if the process ends.
    pub fn wait_for_path(&mut self, path: &Path, limit: Duration) {
        let what = format!("{} from {}", path.display(), self.name);
        poll(&what, limit, || {
            if path.exists() {
                return Some(());
            }
            if let Some(status) = self.exited() {
                panic!(
                    "{} ended ({status}) before making {}",
                    self.name,
                    path.display()
                );
            }
            None
        });
    }

    /// Waits until the log contains `needle`, at most `limit`; fails early if the process ends.
    pub fn wait_for_log(&mut self, needle: &str, limit: Duration) {
        let what = format!("{needle:?} in the log of {}", self.name);
        poll(&what, limit, || {
            let log = std::fs::read(&self.log).unwrap_or_default();
            if String::from_utf8_lossy(&log).contains(needle) {
                return Some(());
            }
            if let Some(status) = self.exited() {
                panic!("{} ended ({status}) before {needle:?} appeared", self.name);
            }
            None
        });
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Which daemon of a [`Lab`].
#[derive(Debug, Clone, Copy)]
pub struct DaemonId(usize);

/// One scenario's bench: a temp directory, the namespaces and the processes.
pub struct Lab {
    pub tools: Tools,
    /// `vpnlog-<test pid>-<n>`: the prefix of every namespace name, unique per scenario.
    pub id: String,
    daemons: Vec<Daemon>,
    namespaces: Vec<Netns>,
    pub dir: TempDir,
}

impl Lab {
    pub fn new(tools: Tools, label: &str) -> Lab {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = TempDir::new(label);
        config_safe(dir.path());
        Lab {
            tools,
            id: format!("vpnlog-{}-{n}", std::process::id()),
            daemons: Vec::new(),
            namespaces: Vec::new(),
            dir,
        }
    }

    /// A path in the lab's directory, as it may appear in an OpenVPN config.
    pub fn path(&self, name: &str) -> String {
        config_safe(&self.dir.join(name))
    }

    /// Makes the namespace `<id>-<suffix>` with its loopback up; returns its name.
    pub fn netns(&mut self, suffix: &str) -> String {
        let name = format!("{}-{suffix}", self.id);
        self.ip(&["netns", "add", &name]);
        self.namespaces.push(Netns {
            name: name.clone(),
            ip: self.tools.ip.clone(),
        });
        self.ip(&["-n", &name, "link", "set", "lo", "up"]);
        name
    }

    /// Runs `ip ARGS` and requires success.
    pub fn ip(&self, args: &[&str]) {
        util::run(Command::new(&self.tools.ip).args(args)).expect_code(0);
    }

    /// A command that runs `program ARGS` inside namespace `netns` with an empty environment.
    /// `ip netns exec` execs the program in place, so the child's PID is the program's.
    pub fn in_netns(&self, netns: &str, program: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.tools.ip);
        command
            .args(["netns", "exec", netns])
            .arg(program)
            .args(args)
            .env_clear()
            .stdin(Stdio::null())
            .current_dir(self.dir.path());
        command
    }

    /// Starts `command` as a daemon called `name`, its output in `<name>.log`.
    pub fn spawn(&mut self, name: &str, mut command: Command) -> DaemonId {
        let log = self.dir.join(&format!("{name}.log"));
        let out = File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let err = out.try_clone().expect("dup log descriptor");
        let child = command
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("start {name} ({command:?}): {e}"));
        self.daemons.push(Daemon {
            name: name.to_owned(),
            log,
            child: Some(child),
            status: None,
        });
        DaemonId(self.daemons.len() - 1)
    }

    /// Writes `<name>.conf` and starts OpenVPN on it in namespace `netns`.
    pub fn openvpn(&mut self, netns: &str, name: &str, config: &str) -> DaemonId {
        let path = self.path(&format!("{name}.conf"));
        std::fs::write(&path, config).unwrap();
        let openvpn = self.tools.openvpn.clone();
        let command = self.in_netns(netns, &openvpn, &["--config", &path]);
        self.spawn(name, command)
    }

    pub fn daemon(&mut self, id: DaemonId) -> &mut Daemon {
        &mut self.daemons[id.0]
    }

    /// Sends SIGTERM to a daemon.
    pub fn terminate(&self, id: DaemonId) {
        self.daemons[id.0].terminate(&self.tools.sh);
    }

    /// `date -d @UNIX +%F-%H:%M` in an empty environment: the host's zone from /etc/localtime,
    /// exactly what a hook run by OpenVPN (which passes no TZ) must print.
    pub fn local_minute(&self, unix: i64) -> String {
        let run = util::run(
            Command::new(&self.tools.date)
                .env_clear()
                .arg("-d")
                .arg(format!("@{unix}"))
                .arg("+%F-%H:%M"),
        );
        run.expect_code(0);
        run.stdout().trim_end().to_owned()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        if std::thread::panicking() {
            for daemon in &self.daemons {
                let log = std::fs::read(&daemon.log).unwrap_or_default();
                let log = String::from_utf8_lossy(&log);
                let tail: Vec<&str> = log.lines().rev().take(80).collect();
                eprintln!("===== last lines of {} =====", daemon.log.display());
                for line in tail.iter().rev() {
                    eprintln!("{line}");
                }
            }
        }
        // Processes first (killed and reaped), then the namespaces they were in.
        self.daemons.clear();
        self.namespaces.clear();
    }
}
