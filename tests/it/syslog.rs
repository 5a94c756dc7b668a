//! `--syslog`: the record reaches a real receiver as syslog(3) would send it, in bounded time,
//! or stays on stderr.
//!
//! Plain sockets the tests bind themselves run always (they are fast and need nothing). Real
//! daemons and the one-second give-up run with `VPN_LOG_SLOW=1`: rsyslogd (package `rsyslog`)
//! on a private socket, and BusyBox syslogd (package `busybox`), which only listens on
//! `/dev/log`, in a private mount namespace with its own `/dev` (root and `unshare` from
//! `util-linux`), so the host's `/dev/log` is never touched. A stream socket whose backlog is
//! full costs a second and needs nothing: it runs always, also through qemu-user.

#[cfg(feature = "syslog")]
mod with_syslog {
    use crate::util::{self, Hook, Run, TempDir};
    use std::io::Read;
    use std::os::unix::net::{UnixDatagram, UnixListener};
    use std::path::Path;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    /// A connect event as OpenVPN would describe it.
    const CONNECT_ENV: &[(&str, &str)] = &[
        ("common_name", "alice"),
        ("trusted_ip", "198.51.100.7"),
        ("trusted_port", "50123"),
        ("ifconfig_pool_remote_ip", "10.8.0.6"),
        ("time_unix", "1700000000"),
        ("script_type", "client-connect"),
    ];

    /// A disconnect event as OpenVPN would describe it.
    const DISCONNECT_ENV: &[(&str, &str)] = &[
        ("common_name", "bob"),
        ("trusted_ip6", "2001:db8::7"),
        ("trusted_port", "1194"),
        ("ifconfig_pool_remote_ip", "10.8.0.9"),
        ("time_unix", "1700000000"),
        ("time_duration", "3900"),
        ("bytes_received", "1005000"),
        ("bytes_sent", "28948"),
        ("script_type", "client-disconnect"),
    ];

    fn hook(program: &str) -> Hook {
        let env = if program == util::CONNECT {
            CONNECT_ENV
        } else {
            DISCONNECT_ENV
        };
        Hook::new(program).envs(env).arg("--utc")
    }

    /// The record `program` writes with `--file -`, without its newline.
    fn record(program: &str) -> String {
        let run = hook(program).args(["--file", "-"]).run();
        run.expect_code(0).expect_stderr_empty();
        run.stdout().trim_end_matches('\n').to_owned()
    }

    fn unix_now() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    }

    /// `Mmm dd hh:mm:ss` at `unix` in UTC, by date(1) rather than by the code under test.
    fn timestamp(unix: i64) -> String {
        util::utc_date(unix, "%b %e %H:%M:%S")
    }

    /// Runs `hook` to the end, within [`util::RUN_DEADLINE`]; also returns its process id and
    /// the clock seconds it ran in.
    fn run_with_pid(mut hook: Hook) -> (Run, u32, i64, i64) {
        let description = format!("{:?}", hook.command());
        let before = unix_now();
        let mut child = hook
            .command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > util::RUN_DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{description} did not finish in {:?}", util::RUN_DEADLINE);
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let after = unix_now();
        // The hook writes a few hundred bytes at most: the pipes never filled.
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        child
            .stdout
            .take()
            .unwrap()
            .read_to_end(&mut stdout)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_end(&mut stderr)
            .unwrap();
        let run = Run {
            description,
            status,
            stdout,
            stderr,
        };
        (run, pid, before, after)
    }

    /// Asserts that `message` is exactly `<pri>TIMESTAMP tag[pid]: record` for a timestamp
    /// within `before..=after`, plus `frame_end`.
    #[allow(clippy::too_many_arguments)]
    fn check_message(
        message: &[u8],
        pri: u8,
        tag: &str,
        pid: u32,
        record: &str,
        (before, after): (i64, i64),
        frame_end: &str,
        run: &Run,
    ) {
        let message = String::from_utf8_lossy(message);
        let candidates: Vec<String> = (before..=after)
            .map(|t| format!("<{pri}>{} {tag}[{pid}]: {record}{frame_end}", timestamp(t)))
            .collect();
        assert!(
            candidates.iter().any(|c| *c == message),
            "got      {message:?}\nexpected one of {candidates:#?}\n{}",
            run.report()
        );
    }

    #[test]
    fn a_datagram_listener_gets_exact_syslog3_messages() {
        let dir = TempDir::new("syslog-dgram");
        let socket_path = dir.join("log");
        let receiver = util::SyslogReceiver::bind(&socket_path);
        let cases: &[(&str, &[&str], u8, &str)] = &[
            (util::CONNECT, &[], 30, util::CONNECT),
            (util::DISCONNECT, &[], 30, util::DISCONNECT),
            (util::CONNECT, &["--facility", "kern"], 6, util::CONNECT),
            (util::CONNECT, &["--facility=user", "--tag=vpn"], 14, "vpn"),
            (
                util::DISCONNECT,
                &["--facility", "authpriv"],
                86,
                util::DISCONNECT,
            ),
            (util::CONNECT, &["--facility", "local0"], 134, util::CONNECT),
            (
                util::DISCONNECT,
                &["--facility", "local7", "--tag", "ovpn/tcp"],
                190,
                "ovpn/tcp",
            ),
        ];
        for &(program, args, pri, tag) in cases {
            let expected = record(program);
            let hook = hook(program)
                .arg("--syslog")
                .arg("--syslog-socket")
                .arg(&socket_path)
                .args(args);
            let (run, pid, before, after) = run_with_pid(hook);
            run.expect_code(0).expect_stderr_empty();
            assert!(run.stdout.is_empty(), "{}", run.report());
            let message = receiver.message(&run);
            check_message(
                &message,
                pri,
                tag,
                pid,
                &expected,
                (before, after),
                "",
                &run,
            );
            assert!(message.len() < 1024, "{} bytes on the wire", message.len());
        }
    }

    #[test]
    fn a_stream_listener_gets_a_nul_terminated_frame() {
        let dir = TempDir::new("syslog-stream");
        let socket_path = dir.join("log");
        let listener = UnixListener::bind(&socket_path).unwrap();
        let expected = record(util::CONNECT);
        let hook = hook(util::CONNECT)
            .arg("--syslog")
            .arg("--syslog-socket")
            .arg(&socket_path);
        // The kernel completes the connection from the backlog and buffers the frame, so the
        // hook is done before anything is accepted.
        let (run, pid, before, after) = run_with_pid(hook);
        run.expect_code(0).expect_stderr_empty();
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut frame = Vec::new();
        stream.read_to_end(&mut frame).unwrap();
        check_message(
            &frame,
            30,
            util::CONNECT,
            pid,
            &expected,
            (before, after),
            "\0",
            &run,
        );
    }

    #[test]
    fn a_record_too_long_for_one_message_is_sent_cut_and_kept_whole_on_stderr() {
        let dir = TempDir::new("syslog-too-long");
        let socket_path = dir.join("log");
        let receiver = util::SyslogReceiver::bind(&socket_path);
        // Two names at the cap, each character escaped, the longest instance name and tag: no
        // name OpenVPN passes is this long, but a hook must not lose such a record either.
        let name = "\"".repeat(200);
        let instance = "i".repeat(64);
        let args = ["--format", "json", "--instance", &instance];
        let long = |hook: Hook| {
            hook.env("common_name", &name)
                .env("username", &name)
                .env(
                    "ifconfig_pool_remote_ip6",
                    "fd00:1234:5678:9abc:def0:1234:5678:9abc",
                )
                .env("bytes_received", "18446744073709551615")
                .args(args)
        };
        let whole = long(hook(util::DISCONNECT)).args(["--file", "-"]).run();
        whole.expect_code(0).expect_stderr_empty();
        // The two runs may fall in different seconds (slowly, under qemu-user): the records
        // are compared without their "time".
        let record = without_time(&whole.stdout());
        let run = long(hook(util::DISCONNECT))
            .args(["--syslog", "--tag", &"t".repeat(32), "--syslog-socket"])
            .arg(&socket_path)
            .run();
        run.expect_code(0);
        let message = String::from_utf8(receiver.message(&run)).unwrap();
        assert_eq!(message.len(), 1023, "{message}");
        assert!(message.ends_with("\\..."), "{message}");
        let (_, cut) = message.split_once("]: ").unwrap();
        assert!(
            record.starts_with(&without_time(cut.trim_end_matches("\\..."))),
            "{message}"
        );
        let expected = format!(
            "{0}: syslog: record too long for one message, sent cut\n\
             {0}: undelivered record: {record}",
            util::DISCONNECT
        );
        assert_eq!(without_time(&run.stderr()), expected, "{}", run.report());
    }

    /// `text` with the value of its JSON key "time" left empty.
    fn without_time(text: &str) -> String {
        let Some((before, rest)) = text.split_once("\"time\":\"") else {
            return text.to_owned();
        };
        let after = rest.split_once('"').map_or("", |(_, after)| after);
        format!("{before}\"time\":\"\"{after}")
    }

    #[test]
    fn with_file_and_syslog_the_record_goes_to_both() {
        let dir = TempDir::new("syslog-both");
        let socket_path = dir.join("log");
        let receiver = util::SyslogReceiver::bind(&socket_path);
        let file = dir.join("remote.connect");
        let expected = record(util::CONNECT);
        let run = hook(util::CONNECT)
            .args(["--syslog", "--file"])
            .arg(&file)
            .arg("--syslog-socket")
            .arg(&socket_path)
            .run();
        run.expect_code(0).expect_stderr_empty();
        assert_eq!(util::read(&file), format!("{expected}\n"));
        let message = String::from_utf8_lossy(&receiver.message(&run)).into_owned();
        assert!(message.ends_with(&format!("]: {expected}")), "{message:?}");
    }

    /// The diagnostics a failed syslog delivery must leave: why, with the socket's path, and
    /// the record itself.
    fn check_undelivered(run: &Run, socket: &Path, why: &str, expected: &str) {
        let stderr = run.stderr();
        let reason = format!("{}: syslog: {}: {why}", util::CONNECT, socket.display());
        assert!(stderr.contains(&reason), "no {reason:?}\n{}", run.report());
        let kept = format!("{}: undelivered record: {expected}\n", util::CONNECT);
        assert!(stderr.ends_with(&kept), "no {kept:?}\n{}", run.report());
    }

    #[test]
    fn a_newline_in_the_socket_path_forges_no_line_in_the_servers_log() {
        let dir = TempDir::new("syslog-forged");
        let socket = dir.join("log\nvpn-connect-log: forged");
        let run = hook(util::CONNECT)
            .args(["--syslog", "--syslog-socket"])
            .arg(&socket)
            .run();
        run.expect_code(0);
        let shown = format!("{}/log\\x0Avpn-connect-log: forged", dir.path().display());
        let expected = [
            format!(
                "{}: syslog: {shown}: cannot connect: No such file or directory (os error 2)\n",
                util::CONNECT
            ),
            format!(
                "{}: undelivered record: {}\n",
                util::CONNECT,
                record(util::CONNECT)
            ),
        ];
        assert_eq!(run.stderr(), expected.concat(), "{}", run.report());
        assert_eq!(run.stderr().lines().count(), 2, "{}", run.report());
    }

    #[test]
    fn without_a_socket_the_record_stays_on_stderr() {
        let dir = TempDir::new("syslog-missing");
        let expected = record(util::CONNECT);
        let not_a_socket = dir.join("dir");
        std::fs::create_dir(&not_a_socket).unwrap();
        let cases = [
            (
                dir.join("missing"),
                "cannot connect: No such file or directory",
            ),
            (not_a_socket, "cannot connect: Connection refused"),
        ];
        for (socket, why) in &cases {
            for (strict, code) in [(false, 0), (true, 1)] {
                let mut hook = hook(util::CONNECT)
                    .arg("--syslog")
                    .arg("--syslog-socket")
                    .arg(socket);
                if strict {
                    hook = hook.arg("--strict");
                }
                let start = Instant::now();
                let run = hook.run();
                assert!(start.elapsed() < Duration::from_secs(2), "{}", run.report());
                run.expect_code(code);
                check_undelivered(&run, socket, why, &expected);
                // Even --quiet keeps the record.
            }
        }
        let run = hook(util::CONNECT)
            .args(["--syslog", "--quiet", "--syslog-socket"])
            .arg(&cases[0].0)
            .run();
        run.expect_code(0);
        assert_eq!(
            run.stderr(),
            format!("{}: undelivered record: {expected}\n", util::CONNECT)
        );
    }

    /// Sends to the never-read socket at `path` until a fresh sender cannot send even once:
    /// then the receiver's queue, not a sender's buffer, is full. The senders must stay open.
    fn fill_queue(path: &Path) -> Vec<UnixDatagram> {
        let mut fillers = Vec::new();
        loop {
            let filler = UnixDatagram::unbound().unwrap();
            filler.connect(path).unwrap();
            filler.set_nonblocking(true).unwrap();
            let mut sent = 0;
            while filler.send(b"<30>Nov 23 00:00:00 filler[1]: x").is_ok() {
                sent += 1;
            }
            fillers.push(filler);
            if sent == 0 {
                return fillers;
            }
        }
    }

    #[test]
    fn a_daemon_that_never_reads_costs_at_most_a_second() {
        if !util::gate("VPN_LOG_SLOW") {
            return;
        }
        let dir = TempDir::new("syslog-stalled");
        let socket_path = dir.join("log");
        let _receiver = UnixDatagram::bind(&socket_path).unwrap();
        let _fillers = fill_queue(&socket_path);
        let expected = record(util::CONNECT);
        for program in [util::CONNECT, util::DISCONNECT] {
            let run = give_up_after_a_second(program, &socket_path);
            if program == util::CONNECT {
                check_undelivered(&run, &socket_path, GAVE_UP, &expected);
            } else {
                assert!(run.stderr().contains("undelivered record: User 'bob'"));
            }
        }
    }

    /// A stream daemon that stopped accepting: its listening socket's backlog (1 here, set
    /// with `listen(2)` through `vpn_log::sys`, as std always asks for the largest) is filled
    /// with connections nobody accepts, until a non-blocking `connect` says `EAGAIN`. A
    /// blocking `connect` would then wait for ever; the hook gives up after its second.
    #[test]
    fn a_stream_daemon_with_a_full_backlog_costs_at_most_a_second() {
        let dir = TempDir::new("syslog-backlog");
        let socket_path = dir.join("log");
        let listener = UnixListener::bind(&socket_path).unwrap();
        vpn_log::sys::set_backlog(&listener, 1).unwrap();
        let mut fillers = Vec::new();
        loop {
            let filler = vpn_log::sys::unix_stream_socket().unwrap();
            match vpn_log::sys::connect_unix(&filler, &socket_path) {
                Ok(()) => fillers.push(filler),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("filling the backlog: {e}"),
            }
            assert!(fillers.len() < 100, "the backlog never filled");
        }
        let expected = record(util::CONNECT);
        let run = give_up_after_a_second(util::CONNECT, &socket_path);
        check_undelivered(&run, &socket_path, GAVE_UP, &expected);
    }

    /// What a hook says when the daemon did not take the message in time.
    const GAVE_UP: &str = "the syslog daemon did not take the message within 1 s";

    /// Runs `program --syslog --strict` against the stalled daemon at `socket_path`: it must
    /// give up after one second, not sooner nor much later, and exit 1.
    fn give_up_after_a_second(program: &str, socket_path: &Path) -> Run {
        let start = Instant::now();
        let run = hook(program)
            .args(["--syslog", "--strict", "--syslog-socket"])
            .arg(socket_path)
            .run();
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(2),
            "took {took:?}\n{}",
            run.report()
        );
        run.expect_code(1);
        run
    }

    /// A path too long for a socket address is reported (the C library's text for
    /// `ENAMETOOLONG`: glibc's "File name too long", musl's "Filename too long"), not cut.
    #[test]
    fn a_socket_path_too_long_is_reported() {
        let long = format!("/tmp/{}", "x".repeat(120));
        let run = hook(util::CONNECT)
            .args(["--syslog", "--syslog-socket", &long])
            .run();
        run.expect_code(0);
        let said = format!("syslog: {long}: cannot connect: ");
        let line = run
            .stderr()
            .lines()
            .find(|l| l.contains(&said))
            .map(str::to_owned);
        assert!(
            line.is_some_and(|l| l.contains(" too long (os error ")),
            "{}",
            run.report()
        );
        assert!(run.stderr().contains("undelivered record: User 'alice'"));
    }

    /// A daemon process, killed and reaped when the test ends, whether it passed or not.
    struct Daemon {
        name: &'static str,
        child: Child,
    }

    impl Daemon {
        fn spawn(name: &'static str, command: &mut Command) -> Daemon {
            let child = command
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
            Daemon { name, child }
        }

        /// Waits up to 10 s for `ready`; fails with the daemon's output if it exits first.
        fn wait_for(&mut self, what: &str, ready: impl Fn() -> bool) {
            let start = Instant::now();
            while !ready() {
                if let Some(status) = self.child.try_wait().unwrap() {
                    let mut stderr = String::new();
                    if let Some(mut pipe) = self.child.stderr.take() {
                        let _ = pipe.read_to_string(&mut stderr);
                    }
                    panic!("{} exited ({status}) before {what}:\n{stderr}", self.name);
                }
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "{}: no {what} after 10 s",
                    self.name
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    impl Drop for Daemon {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Waits up to 10 s for the file at `path` to contain `text`; returns its content.
    fn wait_for_text(path: &Path, text: &str) -> String {
        let start = Instant::now();
        loop {
            let content = std::fs::read_to_string(path).unwrap_or_default();
            if content.contains(text) {
                return content;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{text:?} not in {} after 10 s:\n{content}",
                path.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn rsyslogd_receives_the_record() {
        if !util::gate("VPN_LOG_SLOW") {
            return;
        }
        let rsyslogd = util::require_program("rsyslogd", "rsyslog");
        let dir = TempDir::new("rsyslog");
        let socket_path = dir.join("log");
        let out = dir.join("out");
        let config = dir.join("rsyslog.conf");
        // A private instance: no /dev/log (SysSock.Use="off"), no kernel log, only our socket,
        // and every message written as facility.severity, tag and text.
        std::fs::write(
            &config,
            format!(
                r#"global(workDirectory="{dir}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="{socket}")
template(name="fields" type="string"
         string="%syslogfacility-text%.%syslogseverity-text% tag=%syslogtag% msg=%msg%\n")
action(type="omfile" file="{out}" template="fields")
"#,
                dir = dir.path().display(),
                socket = socket_path.display(),
                out = out.display(),
            ),
        )
        .unwrap();
        let mut daemon = Daemon::spawn(
            "rsyslogd",
            Command::new(rsyslogd)
                .arg("-n")
                .arg("-f")
                .arg(&config)
                .arg("-i")
                .arg(dir.join("rsyslogd.pid")),
        );
        daemon.wait_for("socket", || socket_path.exists());

        for (program, facility, tag) in [
            (util::CONNECT, "local3", None),
            (util::DISCONNECT, "daemon", Some("ovpn")),
        ] {
            let expected = record(program);
            let mut hook = hook(program)
                .arg("--syslog")
                .arg("--syslog-socket")
                .arg(&socket_path)
                .args(["--facility", facility]);
            if let Some(tag) = tag {
                hook = hook.args(["--tag", tag]);
            }
            let (run, pid, _, _) = run_with_pid(hook);
            run.expect_code(0).expect_stderr_empty();
            let line = format!(
                "{facility}.info tag={}[{pid}]: msg= {expected}\n",
                tag.unwrap_or(program)
            );
            wait_for_text(&out, &line);
        }
    }

    #[test]
    fn busybox_syslogd_receives_the_record() {
        if !util::gate("VPN_LOG_SLOW") || !util::require_root("BusyBox syslogd test (mount)") {
            return;
        }
        util::require_program("busybox", "busybox");
        let unshare = util::require_program("unshare", "util-linux");
        let dir = TempDir::new("busybox");
        let out = dir.join("messages");
        // In a private mount namespace, a fresh tmpfs over /dev gives syslogd a /dev/log of
        // its own: BusyBox unlinks and binds /dev/log (following a symbolic link), which on
        // the host's /dev would break the real daemon. The shell is PID 1 of a private PID
        // namespace too, so the kernel kills syslogd when the shell ends, even when the
        // test's guard kills `unshare` (`--kill-child` passes that on to the shell); the trap
        // stops it in order otherwise.
        let script = r#"set -eu
out=$1; shift
mount -t tmpfs -o size=1m,mode=755 vpn-log-test /dev
# The shell gives a background job /dev/null as its standard input.
mknod -m 666 /dev/null c 1 3
busybox syslogd -n -O "$out" &
syslogd=$!
trap 'kill "$syslogd" 2>/dev/null || true; wait "$syslogd" 2>/dev/null || true' EXIT
i=0
while [ ! -S /dev/log ]; do
    i=$((i + 1))
    if [ "$i" -gt 500 ]; then echo "busybox syslogd made no /dev/log" >&2; exit 3; fi
    sleep 0.01
done
"$@"
i=0
while ! grep -q 'User ' "$out"; do
    i=$((i + 1))
    if [ "$i" -gt 500 ]; then echo "no record in $out" >&2; exit 4; fi
    sleep 0.01
done
"#;
        let expected = record(util::CONNECT);
        let mut command = Command::new(unshare);
        command
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .args(["--mount", "--propagation", "private", "--pid", "--fork"])
            .args(["--kill-child", "sh", "-c", script, "sh"])
            .arg(&out)
            .args(["env", "-i"])
            .args(CONNECT_ENV.iter().map(|(k, v)| format!("{k}={v}")))
            .arg(util::hook_path(util::CONNECT))
            .args(["--utc", "--syslog", "--facility", "local5", "--strict"]);
        let mut namespace = Daemon::spawn("unshare", &mut command);
        let start = Instant::now();
        while namespace.child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < Duration::from_secs(20), "script hangs");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut stderr = String::new();
        if let Some(mut pipe) = namespace.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let status = namespace.child.wait().unwrap();
        assert!(status.success(), "{status}\n{stderr}");
        let messages = util::read(&out);
        // BusyBox writes `<timestamp> <host> <facility>.<severity> <tag>[<pid>]: <text>`.
        let wanted = format!(" local5.info {}[", util::CONNECT);
        let line = messages
            .lines()
            .find(|l| l.contains(&wanted))
            .unwrap_or_else(|| panic!("no {wanted:?} line in:\n{messages}"));
        assert!(line.ends_with(&format!("]: {expected}")), "{line:?}");
    }
}

#[cfg(not(feature = "syslog"))]
mod without_syslog {
    use crate::util::Hook;

    #[test]
    fn syslog_options_say_the_build_has_no_syslog() {
        let run = Hook::connect()
            .envs(&[("common_name", "alice"), ("time_unix", "1700000000")])
            .args(["--utc", "--syslog", "--strict"])
            .run();
        run.expect_code(1);
        let stderr = run.stderr();
        assert!(
            stderr.contains(
                "usage error: this build has no syslog support, option '--syslog' (see --help)"
            ),
            "{}",
            run.report()
        );
        assert!(stderr.contains("undelivered record: User 'alice'"));
    }
}
