//! Chaining an existing hook: `vpn-connect-log [OPTIONS] -- COMMAND [ARGS...] CONFIG_FILE`.
//!
//! COMMAND is a small /bin/sh script written at test time. It only uses shell built-ins: the
//! hooks pass on OpenVPN's environment, which has no `PATH`.

use crate::json_parse::{parse, Value};
use crate::util::{read, Hook, Run, TempDir, ALICE, ALICE_CONNECT, ALICE_DISCONNECT};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Installs an executable /bin/sh script. It is written by a child process, not by this one:
/// a write descriptor of ours could be inherited by a process another test thread is forking
/// at that moment, and executing the script would then fail with ETXTBSY.
fn script(dir: &TempDir, name: &str, body: &str) -> PathBuf {
    install(dir, name, &format!("#!/bin/sh\n{body}"))
}

/// Installs an executable file with exactly `contents`, as [`script`] does.
fn install(dir: &TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    let mut child = Command::new("/bin/sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(&path)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(contents.as_bytes()).unwrap();
    drop(stdin);
    assert!(
        child.wait().unwrap().success(),
        "cannot install {}",
        path.display()
    );
    path
}

/// A client-connect run as OpenVPN makes it: the temporary config file last.
fn connect(dir: &TempDir, log: &Path, command: &[&std::ffi::OsStr]) -> Run {
    let config = dir.join("openvpn_cc_0123456789abcdef.tmp");
    std::fs::write(&config, b"").unwrap();
    Hook::connect()
        .envs(ALICE)
        .args(["--utc", "--file"])
        .arg(log)
        .arg("--")
        .args(command)
        .arg(&config)
        .run()
}

fn stderr_has(run: &Run, text: &str) {
    assert!(run.stderr().contains(text), "no {text:?}\n{}", run.report());
}

#[test]
fn an_accepting_command_gets_the_arguments_and_environment_and_the_record_is_made() {
    let dir = TempDir::new("chain-accept");
    let seen = dir.join("seen");
    let command = script(
        &dir,
        "fw.sh",
        &format!(
            "out='{}'\n\
             printf '%s\\n' \"$#\" \"$@\" > \"$out\"\n\
             printf '%s\\n' \"$common_name\" \"$trusted_ip\" \"${{TZ-unset}}\" >> \"$out\"\n\
             printf '%s' \"$raw\" > \"$out.raw\"\n\
             read line; echo \"stdin: $?\"\n\
             echo 'to stderr' >&2\n\
             printf 'cfg-directive\\n' > \"$3\"\n",
            seen.display()
        ),
    );
    let log = dir.join("connect.log");
    let config = dir.join("openvpn_cc_0123456789abcdef.tmp");
    std::fs::write(&config, b"").unwrap();
    let run = Hook::connect()
        .envs(ALICE)
        .env("raw", b"\xff\xfe not UTF-8 $x `y`")
        .args(["--utc", "--file"])
        .arg(&log)
        .args(["--", command.to_str().unwrap(), "--strict", "two words"])
        .arg(&config)
        .run();
    run.expect_code(0);
    assert_eq!(read(&log), ALICE_CONNECT);
    assert_eq!(
        read(&seen),
        format!(
            "3\n--strict\ntwo words\n{}\nalice\n198.51.100.7\nunset\n",
            config.display()
        ),
        "arguments, OpenVPN's file last, and environment as given"
    );
    assert_eq!(
        std::fs::read(dir.join("seen.raw")).unwrap(),
        b"\xff\xfe not UTF-8 $x `y`"
    );
    // Standard input is closed (read fails at end of file); the output lands in the hook's.
    assert_eq!(run.stdout(), "stdin: 1\n");
    assert_eq!(run.stderr(), "to stderr\n");
    // The config file belongs to COMMAND: the hook leaves what it wrote there alone.
    assert_eq!(read(&config), "cfg-directive\n");
}

#[test]
fn a_rejecting_command_keeps_the_client_rejected_and_unrecorded() {
    let dir = TempDir::new("chain-reject");
    for (body, status) in [
        ("exit 1\n", 1),
        ("exit 3\n", 3),
        ("exit 255\n", 255),
        ("kill -KILL $$\n", 137),
        ("kill -TERM $$\n", 143),
    ] {
        let command = script(&dir, &format!("reject-{status}.sh"), body);
        let log = dir.join(&format!("connect-{status}.log"));
        let run = connect(&dir, &log, &[command.as_os_str()]);
        run.expect_code(status);
        assert!(
            !log.exists(),
            "a rejected client was recorded\n{}",
            run.report()
        );
        stderr_has(
            &run,
            &format!(
                "vpn-connect-log: {} exited with status {status}; client rejected, not recorded\n",
                command.display()
            ),
        );
        // --quiet silences the diagnostic, not the verdict.
        let quiet = Hook::connect()
            .envs(ALICE)
            .args(["-q", "--file"])
            .arg(&log)
            .arg("--")
            .arg(&command)
            .run();
        quiet.expect_code(status).expect_stderr_empty();
        assert!(!log.exists());
    }
}

#[test]
fn a_command_that_cannot_run_exits_127_without_a_record() {
    let dir = TempDir::new("chain-noexec");
    let not_executable = dir.join("not-executable.sh");
    std::fs::write(&not_executable, "#!/bin/sh\nexit 0\n").unwrap();
    let no_interpreter = install(&dir, "no-interpreter.sh", "#!/nonexistent/sh\nexit 0\n");
    let cases: &[(PathBuf, &str)] = &[
        (dir.join("missing.sh"), "No such file or directory"),
        (no_interpreter, "No such file or directory"),
        (not_executable, "Permission denied"),
        (dir.path().to_path_buf(), "Permission denied"),
    ];
    for (command, reason) in cases {
        let log = dir.join("connect.log");
        let run = connect(&dir, &log, &[command.as_os_str()]);
        run.expect_code(127);
        assert!(!log.exists(), "{}", run.report());
        stderr_has(
            &run,
            &format!(
                "vpn-connect-log: {}: cannot run: {reason}",
                command.display()
            ),
        );
        stderr_has(&run, "; client rejected, not recorded\n");
    }
}

#[test]
fn a_name_without_a_slash_is_not_searched_in_path() {
    let dir = TempDir::new("chain-path");
    let bin = TempDir::new("chain-path-bin");
    script(&bin, "in-path.sh", "exit 0\n");
    script(&dir, "here.sh", "exit 0\n");
    let log = dir.join("connect.log");
    let run_in = |program: &str| {
        let mut hook = Hook::connect()
            .envs(ALICE)
            .env("PATH", bin.path().as_os_str().as_bytes())
            .args(["--utc", "--file"])
            .arg(&log)
            .args(["--", program]);
        hook.command().current_dir(dir.path());
        hook.run()
    };
    // As OpenVPN's execve(2) does: relative to the working directory, never through PATH.
    run_in("here.sh").expect_code(0);
    assert_eq!(read(&log), ALICE_CONNECT);
    run_in("in-path.sh").expect_code(127);
    assert_eq!(read(&log), ALICE_CONNECT);
}

#[test]
fn a_deferred_decision_is_recorded_as_deferred() {
    let dir = TempDir::new("chain-deferred");
    let command = script(
        &dir,
        "defer.sh",
        "printf '%s' \"$DECISION\" > \"$client_connect_deferred_file\"\n",
    );
    for (decision, deferred) in [("2", true), ("1", false), ("", false)] {
        let deferred_file = dir.join("openvpn_acf_0123.tmp");
        std::fs::write(&deferred_file, b"").unwrap();
        let hook = || {
            Hook::connect()
                .envs(ALICE)
                .env("DECISION", decision)
                .env(
                    "client_connect_deferred_file",
                    deferred_file.as_os_str().as_bytes(),
                )
                .args(["--utc", "--file", "-"])
        };
        // Classic: the line is the same.
        let run = hook().arg("--").arg(&command).run();
        run.expect_code(0).expect_stderr_empty();
        assert_eq!(run.stdout(), ALICE_CONNECT, "decision {decision:?}");
        // JSON: "deferred" says it.
        let run = hook().args(["--format", "json", "--"]).arg(&command).run();
        run.expect_code(0).expect_stderr_empty();
        let value = parse(run.stdout.trim_ascii_end()).unwrap();
        assert_eq!(
            value.get("deferred"),
            &Value::Bool(deferred),
            "decision {decision:?}"
        );
    }
    // Without `--` nothing can have deferred, whatever the file says.
    let deferred_file = dir.join("stale.tmp");
    std::fs::write(&deferred_file, b"2").unwrap();
    let run = Hook::connect()
        .env(
            "client_connect_deferred_file",
            deferred_file.as_os_str().as_bytes(),
        )
        .args(["--format", "json", "--file", "-"])
        .run();
    let value = parse(run.stdout.trim_ascii_end()).unwrap();
    assert_eq!(value.get("deferred"), &Value::Bool(false));
}

#[test]
fn disconnect_records_first_then_runs_the_command_and_exits_0_unless_strict() {
    let dir = TempDir::new("chain-disconnect");
    let log = dir.join("disconnect.log");
    let seen = dir.join("seen");
    // The command reads the log: the record must already be there.
    let command = script(
        &dir,
        "down.sh",
        &format!(
            "read line < '{}'; printf '%s|%s\\n' \"$line\" \"$*\" > '{}'\nexit \"$STATUS\"\n",
            log.display(),
            seen.display()
        ),
    );
    for (status, strict, expected) in [
        ("0", false, 0),
        ("3", false, 0),
        ("3", true, 3),
        ("0", true, 0),
    ] {
        let _ = std::fs::remove_file(&log);
        let mut hook = Hook::disconnect()
            .envs(ALICE)
            .env("STATUS", status)
            .args(["--utc", "--file"])
            .arg(&log);
        if strict {
            hook = hook.arg("--strict");
        }
        let run = hook.arg("--").arg(&command).args(["a", "b"]).run();
        run.expect_code(expected);
        assert_eq!(read(&log), ALICE_DISCONNECT, "{}", run.report());
        assert_eq!(
            read(&seen),
            format!("{}|a b\n", ALICE_DISCONNECT.trim_end())
        );
        if status != "0" {
            stderr_has(
                &run,
                &format!(
                    "vpn-disconnect-log: {} exited with status 3\n",
                    command.display()
                ),
            );
        }
    }
    // A command that cannot run: the record is there all the same.
    let _ = std::fs::remove_file(&log);
    let missing = dir.join("missing.sh");
    for (strict, expected) in [(false, 0), (true, 127)] {
        let mut hook = Hook::disconnect()
            .envs(ALICE)
            .args(["--utc", "--file"])
            .arg(&log);
        if strict {
            hook = hook.arg("--strict");
        }
        let run = hook.arg("--").arg(&missing).run();
        run.expect_code(expected);
        stderr_has(&run, "cannot run: No such file or directory");
    }
    assert_eq!(read(&log), ALICE_DISCONNECT.repeat(2));
}

#[test]
fn a_usage_error_does_not_stop_the_command_or_its_verdict() {
    let dir = TempDir::new("chain-usage");
    let reject = script(&dir, "reject.sh", "exit 3\n");
    let accept = script(&dir, "accept.sh", "exit 0\n");
    let run = Hook::connect()
        .envs(ALICE)
        .arg("--bogus")
        .arg("--")
        .arg(&reject)
        .run();
    run.expect_code(3);
    stderr_has(&run, "usage error: unknown option '--bogus'");
    assert!(
        !run.stderr().contains("undelivered record"),
        "{}",
        run.report()
    );

    let run = Hook::connect()
        .envs(ALICE)
        .args(["--bogus", "--utc", "--"])
        .arg(&accept)
        .arg("--strict") // COMMAND's argument, not ours.
        .run();
    run.expect_code(0);
    stderr_has(&run, "undelivered record: User 'alice'");

    // `--` with nothing after it.
    let run = Hook::connect().envs(ALICE).arg("--").run();
    run.expect_code(0);
    stderr_has(&run, "usage error: missing command after '--'");
}

#[test]
fn a_long_argument_reaches_the_command_whole() {
    // 100 000 bytes: more than the hooks' 64 KiB allocation arena, so the argument's copies
    // live in pages of their own (`sys::Arena` falls back to `mmap`).
    let dir = TempDir::new("chain-long");
    let seen = dir.join("seen");
    let command = script(
        &dir,
        "count.sh",
        &format!("printf '%s' \"${{#1}}\" > '{}'\n", seen.display()),
    );
    let long = "x".repeat(100_000);
    let log = dir.join("connect.log");
    let run = connect(
        &dir,
        &log,
        &[command.as_os_str(), std::ffi::OsStr::new(&long)],
    );
    run.expect_code(0);
    assert_eq!(read(&seen), "100000", "{}", run.report());
    assert_eq!(read(&log), ALICE_CONNECT);
}
