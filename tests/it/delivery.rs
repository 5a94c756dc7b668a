//! Getting the record into the file, and what happens when that is impossible.

use crate::util::{read, require_root, Hook, Run, TempDir, ALICE, ALICE_CONNECT};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

fn connect_to(path: &Path, extra: &[&str]) -> Run {
    Hook::connect()
        .envs(ALICE)
        .args(["--utc", "--file"])
        .arg(path)
        .args(extra)
        .run()
}

/// The record was not delivered: exit 0 (1 with --strict), the reason and the record on stderr.
fn assert_undelivered(run: &Run, path: &Path, reason: &str) {
    let err = run.stderr();
    let diagnostic = format!("vpn-connect-log: {}: {reason}", path.display());
    assert!(
        err.contains(&diagnostic),
        "no {diagnostic:?}\n{}",
        run.report()
    );
    let kept = format!("vpn-connect-log: undelivered record: {ALICE_CONNECT}");
    assert!(
        err.ends_with(&kept),
        "record not kept on stderr\n{}",
        run.report()
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn appends_one_line_per_run_to_a_new_file_with_mode_0640() {
    let dir = TempDir::new("append");
    let log = dir.join("remote.connect");
    for _ in 0..3 {
        connect_to(&log, &[]).expect_code(0).expect_stderr_empty();
    }
    assert_eq!(read(&log), ALICE_CONNECT.repeat(3));
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    // 0640 before the umask; the test harness's umask (usually 022) keeps it as it is.
    assert_eq!(mode & !0o640, 0, "mode {mode:o}");
}

#[test]
fn a_missing_directory_is_reported_not_created() {
    let dir = TempDir::new("nodir");
    let log = dir.join("missing/remote.connect");
    let run = connect_to(&log, &[]);
    run.expect_code(0);
    assert_undelivered(
        &run,
        &log,
        "cannot open for appending: No such file or directory",
    );
    assert!(!dir.join("missing").exists());
    connect_to(&log, &["--strict"]).expect_code(1);
}

#[test]
fn a_newline_in_the_path_forges_no_line_in_the_servers_log() {
    let dir = TempDir::new("forged-path");
    let log = dir.join("nodir\nvpn-connect-log: forged/x");
    let run = connect_to(&log, &[]);
    run.expect_code(0);
    let shown = format!(
        "{}/nodir\\x0Avpn-connect-log: forged/x",
        dir.path().display()
    );
    let expected = [
        format!("vpn-connect-log: {shown}: cannot open for appending: No such file or directory (os error 2)\n"),
        format!("vpn-connect-log: undelivered record: {ALICE_CONNECT}"),
    ];
    assert_eq!(run.stderr(), expected.concat(), "{}", run.report());
    assert_eq!(run.stderr().lines().count(), 2, "{}", run.report());
}

#[test]
fn a_directory_as_path_is_reported() {
    let dir = TempDir::new("isdir");
    let run = connect_to(dir.path(), &[]);
    run.expect_code(0);
    assert_undelivered(
        &run,
        dir.path(),
        "cannot open for appending: Is a directory",
    );
}

#[test]
fn a_full_disk_is_reported() {
    let full = Path::new("/dev/full");
    let run = connect_to(full, &[]);
    run.expect_code(0);
    assert_undelivered(&run, full, "cannot write: No space left on device");
    connect_to(full, &["--strict"]).expect_code(1);
}

#[test]
fn a_read_only_filesystem_is_reported() {
    if !require_root("mounting a read-only tmpfs in a private mount namespace") {
        return;
    }
    let dir = TempDir::new("rofs");
    let mount = dir.join("ro");
    std::fs::create_dir(&mount).unwrap();
    let log = mount.join("remote.connect");
    // The hook as the harness would run it (through $VPN_LOG_RUNNER when that is set).
    let hook = crate::util::hook_command(crate::util::CONNECT);
    // unshare(1) gives the hook a private mount namespace in which `ro` is a read-only tmpfs;
    // the host's mounts are not touched.
    let script = format!(
        "mount -t tmpfs -o ro,size=64k vpnlog-ro '{}' && exec \"$@\"",
        mount.display()
    );
    let mut unshare = std::process::Command::new("unshare");
    unshare
        .args(["-m", "--propagation", "private", "sh", "-c", &script, "sh"])
        .arg(hook.get_program())
        .args(hook.get_args())
        .args(["--utc", "--file"])
        .arg(&log)
        .env_clear()
        .envs(ALICE.iter().copied())
        .stdin(Stdio::null());
    let run = crate::util::run(&mut unshare);
    run.expect_code(0);
    assert_undelivered(
        &run,
        &log,
        "cannot open for appending: Read-only file system",
    );
}

#[test]
fn a_broken_stderr_pipe_does_not_crash_the_hook() {
    let dir = TempDir::new("epipe");
    let log = dir.join("missing/remote.connect");
    for strict in [false, true] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut hook = Hook::connect()
            .envs(ALICE)
            .args(["--utc", "--file"])
            .arg(&log);
        if strict {
            hook = hook.arg("--strict");
        }
        hook.command().stderr(writer).stdout(Stdio::null());
        let status = hook.command().status().unwrap();
        // Exit, not a signal: a panic would show as SIGABRT, SIGPIPE as a signal too.
        assert_eq!(status.code(), Some(i32::from(strict)), "status {status}");
    }
}

#[test]
fn concurrent_appenders_never_tear_or_lose_records() {
    const WRITERS: usize = 8;
    const RECORDS: usize = 250;
    let dir = TempDir::new("concurrent");
    let log = dir.join("shared.log");
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let log = &log;
            scope.spawn(move || {
                for n in 0..RECORDS {
                    let name = format!("writer-{writer}-record-{n:03}");
                    Hook::disconnect()
                        .envs(&[
                            ("common_name", &name),
                            ("time_unix", "0"),
                            ("time_duration", "0"),
                        ])
                        .envs(&[("bytes_received", "0"), ("bytes_sent", "0")])
                        .args(["--utc", "--file"])
                        .arg(log)
                        .run()
                        .expect_code(0)
                        .expect_stderr_empty();
                }
            });
        }
    });
    let text = read(&log);
    let mut lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), WRITERS * RECORDS);
    lines.sort_unstable();
    let mut expected: Vec<String> = (0..WRITERS)
        .flat_map(|w| (0..RECORDS).map(move |n| (w, n)))
        .map(|(w, n)| {
            format!(
                "User 'writer-{w}-record-{n:03}' using - from - for 1970-01-01-00:00 to \
                 1970-01-01-00:00 (0:00) BW(up/down) 0.000/0.000"
            )
        })
        .collect();
    expected.sort_unstable();
    assert_eq!(lines, expected);
}

#[test]
fn a_fifo_without_reader_does_not_block_the_server() {
    let dir = TempDir::new("fifo");
    let fifo = dir.join("log.fifo");
    let made = crate::util::run(std::process::Command::new("mkfifo").arg(&fifo));
    assert!(made.status.success(), "{}", made.report());
    let started = std::time::Instant::now();
    let run = connect_to(&fifo, &[]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the hook blocked"
    );
    run.expect_code(0);
    assert_undelivered(
        &run,
        &fifo,
        "cannot open for appending: No such device or address",
    );
}
