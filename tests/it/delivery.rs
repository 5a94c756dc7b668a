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

/// Runs `script` (a shell script run as root) in a private mount namespace made by unshare(1),
/// so the host's mounts are not touched, with the connect hook's command line as the harness
/// would run it (through `$VPN_LOG_RUNNER` when that is set; `--utc --file LOG` added) as its
/// arguments, `"$@"`.
fn in_mount_namespace(script: &str, log: &Path) -> Run {
    let hook = crate::util::hook_command(crate::util::CONNECT);
    let mut unshare =
        std::process::Command::new(crate::util::require_program("unshare", "util-linux"));
    unshare
        .args(["-m", "--propagation", "private", "sh", "-c", script, "sh"])
        .arg(hook.get_program())
        .args(hook.get_args())
        .args(["--utc", "--file"])
        .arg(log)
        .env_clear()
        .envs(ALICE.iter().copied())
        .stdin(Stdio::null());
    crate::util::run(&mut unshare)
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
    // In the hook's private mount namespace `ro` is a read-only tmpfs.
    let script = format!(
        "mount -t tmpfs -o ro,size=64k vpnlog-ro '{}' && exec \"$@\"",
        mount.display()
    );
    let run = in_mount_namespace(&script, &log);
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
    crate::util::mkfifo(&fifo);
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

#[test]
fn a_fifo_with_a_reader_gets_the_record() {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = TempDir::new("fifo-reader");
    let fifo = dir.join("log.fifo");
    crate::util::mkfifo(&fifo);
    // A reader that does not wait for a writer.
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(vpn_log::sys::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    connect_to(&fifo, &[]).expect_code(0).expect_stderr_empty();
    let mut got = Vec::new();
    reader.read_to_end(&mut got).unwrap();
    assert_eq!(String::from_utf8_lossy(&got), ALICE_CONNECT);
}

/// A record cut short by a full disk used to leave a fragment without its newline, and the next
/// record was glued to it. Here, on a real full file system: the short write is reported, the
/// record kept on stderr and the fragment's line ended; once there is room again, the next
/// records follow on lines of their own.
#[test]
fn after_a_short_write_on_a_full_disk_the_next_record_starts_a_new_line() {
    if !require_root("mounting a small tmpfs in a private mount namespace") {
        return;
    }
    let dir = TempDir::new("fulldisk");
    let mount = dir.join("full");
    std::fs::create_dir(&mount).unwrap();
    let log = mount.join("remote.connect");
    // tmpfs counts whole pages: two of them, one holding the log, the other a filler file.
    let page = crate::util::run(std::process::Command::new("getconf").arg("PAGESIZE"));
    let page: usize = page.stdout().trim().parse().expect("getconf PAGESIZE");
    let record = ALICE_CONNECT.as_bytes();
    // As many whole records as fit the log's page; the room left is less than a record.
    let records = page / record.len();
    let room = page % record.len();
    assert!(
        room > 0,
        "page size {page} is a multiple of the record's length"
    );
    std::fs::write(dir.join("before"), record.repeat(records)).unwrap();
    let out = dir.path().display();
    let script = format!(
        "set -e
         mount -t tmpfs -o size={size} vpnlog-full '{mount}'
         cp '{out}/before' '{log}'
         head -c 100000000 /dev/zero > '{mount}/filler' 2>/dev/null || true
         \"$@\" > '{out}/1.out' 2> '{out}/1.err'
         rm '{mount}/filler'
         \"$@\" > '{out}/2.out' 2> '{out}/2.err'
         \"$@\" > '{out}/3.out' 2> '{out}/3.err'
         cp '{log}' '{out}/after'",
        size = 2 * page,
        mount = mount.display(),
        log = log.display(),
    );
    let run = in_mount_namespace(&script, &log);
    run.expect_code(0);
    let short = format!(
        "vpn-connect-log: {}: short write: {room} of {} bytes written (disk full?); the cut \
         line was ended with a newline\n\
         vpn-connect-log: undelivered record: {ALICE_CONNECT}",
        log.display(),
        record.len()
    );
    assert_eq!(read(&dir.join("1.err")), short, "\n{}", run.report());
    for n in 1..=3 {
        assert_eq!(read(&dir.join(&format!("{n}.out"))), "");
    }
    assert_eq!(read(&dir.join("2.err")), "");
    assert_eq!(read(&dir.join("3.err")), "");
    // Whole lines only: the earlier records, the fragment (its last byte now the newline) on
    // a line of its own, two records.
    let after = read(&dir.join("after"));
    let fragment = &ALICE_CONNECT[..room - 1];
    let expected = format!(
        "{}{fragment}\n{ALICE_CONNECT}{ALICE_CONNECT}",
        ALICE_CONNECT.repeat(records)
    );
    assert_eq!(after, expected);
    let lines: Vec<&str> = after.split_inclusive('\n').collect();
    assert!(lines.iter().all(|line| line.ends_with('\n')));
    assert_eq!(lines.len(), records + 3);
    assert_eq!(lines[records + 1..], [ALICE_CONNECT, ALICE_CONNECT]);
}
