//! Local time as `date(1)` prints it: the real programs with `TZ` values and zone files, an
//! oracle comparing the zone code with GNU `date` for every zone file and many rule strings,
//! the `TZ`-unset path in a private mount namespace, and damaged input.
//!
//! The oracle and the robustness suite call the library directly (`vpn_log::time`): a process
//! per instant would take hours. The hooks use exactly that code through
//! `vpn_log::time::system_zone`, which the tests of the real programs here exercise.

use crate::util::{gate, mkfifo, require_program, require_root, Hook, Prng, TempDir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vpn_log::time::posix::PosixTz;
use vpn_log::time::tzif::Tzif;
use vpn_log::time::{Zone, ZoneFiles};

const ZONEINFO: &str = "/usr/share/zoneinfo";

/// 1901-01-01T00:00Z and 2106-12-31T23:59:59Z: the range the oracle samples.
const FIRST: i64 = -2_177_452_800;
const LAST: i64 = 4_323_455_999;

const SESSION: &[(&str, &str)] = &[
    ("common_name", "alice"),
    ("ifconfig_pool_remote_ip", "10.8.0.6"),
    ("trusted_ip", "198.51.100.7"),
    ("trusted_port", "50123"),
    ("time_unix", "1700000000"),
];

/// A TZif version 2 file with no transitions and one type at `offset` seconds east, with
/// `footer` as its rule: the smallest valid zone file (RFC 9636 section 3).
fn fixed_tzif(offset: i32, footer: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..2 {
        out.extend_from_slice(b"TZif2");
        out.extend_from_slice(&[0; 15]);
        // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
        for count in [0u32, 0, 0, 0, 1, 4] {
            out.extend_from_slice(&count.to_be_bytes());
        }
        out.extend_from_slice(&offset.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(b"ZZZ\0");
    }
    out.push(b'\n');
    out.extend_from_slice(footer.as_bytes());
    out.push(b'\n');
    out
}

/// The connect record's line for `SESSION` with `tz` set (or not), and stderr.
fn connect_with(env: &[(&str, &[u8])]) -> (String, String) {
    let mut hook = Hook::connect().envs(SESSION).args(["--file", "-"]);
    for (name, value) in env {
        hook = hook.env(name, value);
    }
    let run = hook.run();
    run.expect_code(0);
    (run.stdout(), run.stderr())
}

/// Extra variables for one run.
type Env<'a> = Vec<(&'a str, &'a [u8])>;

fn line_at(minute: &str) -> String {
    format!("User 'alice' at {minute} using 10.8.0.6 from 198.51.100.7:50123\n")
}

#[test]
fn tz_rules_names_and_paths_set_the_records_local_time() {
    let dir = TempDir::new("tz");
    std::fs::create_dir_all(dir.join("zones/Test")).unwrap();
    std::fs::write(
        dir.join("zones/Test/Kathmandu"),
        fixed_tzif(20_700, "<+0545>-5:45"),
    )
    .unwrap();
    std::fs::write(dir.join("damaged"), &fixed_tzif(3600, "")[..60]).unwrap();
    let zones = dir.join("zones");
    let zones = zones.to_str().unwrap();
    let kathmandu = format!("{zones}/Test/Kathmandu");
    let damaged = dir.join("damaged");
    let damaged = damaged.to_str().unwrap();
    let warning = |what: &str| format!("vpn-connect-log: warning: {what}; using UTC\n");
    let cases: Vec<(Env, &str, String)> = vec![
        (
            vec![("TZ", b"CET-1CEST,M3.5.0,M10.5.0/3")],
            "2023-11-14-23:13",
            String::new(),
        ),
        (
            vec![("TZ", b"<+0330>-3:30")],
            "2023-11-15-01:43",
            String::new(),
        ),
        (vec![("TZ", b"")], "2023-11-14-22:13", String::new()),
        (
            vec![("TZ", b"Test/Kathmandu"), ("TZDIR", zones.as_bytes())],
            "2023-11-15-03:58",
            String::new(),
        ),
        (
            vec![("TZ", kathmandu.as_bytes())],
            "2023-11-15-03:58",
            String::new(),
        ),
        (
            vec![("TZ", b"Nowhere/Bogus")],
            "2023-11-14-22:13",
            warning(
                "TZ='Nowhere/Bogus': no such zone file, and not a POSIX TZ rule: missing or \
                 bad standard time offset",
            ),
        ),
        (
            vec![("TZ", damaged.as_bytes())],
            "2023-11-14-22:13",
            warning(&format!("{damaged}: truncated TZif v2+ header")),
        ),
    ];
    for (env, minute, stderr) in cases {
        let (out, err) = connect_with(&env);
        assert_eq!(out, line_at(minute), "{env:?}");
        assert_eq!(err, stderr, "{env:?}");
    }
}

/// RFC 3339 writes offsets up to 23:59, and the manual promises four-digit years: a zone
/// whose offset reaches 24 hours is refused with a warning (UTC is used), and a session time
/// after 9999-12-30T00:00Z is replaced by the current time, so that no zone can push a date
/// into the year 10000.
#[test]
fn offsets_of_a_day_and_years_past_9999_are_refused() {
    let dir = TempDir::new("bounds");
    // What `date +%:z` shows as -596523:14 (glibc takes it).
    let crafted = dir.join("crafted");
    std::fs::write(&crafted, fixed_tzif(-2_147_483_647, "")).unwrap();
    let crafted = crafted.to_str().unwrap();
    let warning = |what: &str| format!("vpn-connect-log: warning: {what}; using UTC\n");
    let utc = line_at("2023-11-14-22:13");
    let cases: Vec<(Env, String, String)> = vec![
        (
            vec![("TZ", b"XXX-24")],
            utc.clone(),
            warning(
                "TZ='XXX-24': no such zone file, and not a POSIX TZ rule: offset of 24 hours \
                 or more",
            ),
        ),
        (
            vec![("TZ", b"EST5EDT+24,M3.2.0,M11.1.0")],
            utc.clone(),
            warning(
                "TZ='EST5EDT+24,M3.2.0,M11.1.0': no such zone file, and not a POSIX TZ rule: \
                 offset of 24 hours or more",
            ),
        ),
        (
            vec![("TZ", crafted.as_bytes())],
            utc.clone(),
            warning(&format!("{crafted}: TZif UT offset of 24 hours or more")),
        ),
        // The largest offsets still allowed, at the latest session time: 9999 still.
        (
            vec![("TZ", b"<+2359>-23:59"), ("time_unix", b"253402128000")],
            line_at("9999-12-30-23:59"),
            String::new(),
        ),
        (
            vec![("TZ", b"<-2359>23:59"), ("time_unix", b"0")],
            line_at("1969-12-31-00:01"),
            String::new(),
        ),
    ];
    for (env, stdout, stderr) in cases {
        let (out, err) = connect_with(&env);
        assert_eq!(out, stdout, "{env:?}");
        assert_eq!(err, stderr, "{env:?}");
    }
    // 9999-12-31T23:59:59Z, which is already 10000-01-01 in Tokyo: replaced by the current time.
    let (out, err) = connect_with(&[("TZ", b"<+09>-9"), ("time_unix", b"253402300799")]);
    assert_eq!(
        err,
        "vpn-connect-log: warning: time_unix='253402300799': after 9999-12-30 00:00 UTC; using \
         the current time\n"
    );
    assert!(
        out.starts_with("User 'alice' at 2") && !out.contains("+1"),
        "{out}"
    );
    // JSON writes the largest offsets RFC 3339 allows.
    let run = Hook::connect()
        .envs(SESSION)
        .env("TZ", "<+2359>-23:59")
        .env("time_unix", "253402128000")
        .args(["--format", "json", "--file", "-"])
        .run();
    run.expect_code(0).expect_stderr_empty();
    assert!(
        run.stdout()
            .contains(r#""start":"9999-12-30T23:59:00+23:59","start_unix":253402128000,"#),
        "{}",
        run.report()
    );
}

/// How long a hook may take to refuse a FIFO where a zone file is expected: it must not wait
/// at all, and a run takes a few milliseconds (a blocked `open` would last until
/// `util::RUN_DEADLINE` kills it).
const FIFO_BOUND: Duration = Duration::from_secs(1);

#[test]
fn a_fifo_named_by_tz_or_found_in_tzdir_is_refused_at_once() {
    let dir = TempDir::new("fifo");
    std::fs::create_dir_all(dir.join("zones/Test")).unwrap();
    mkfifo(&dir.join("fifo"));
    mkfifo(&dir.join("zones/Test/Fifo"));
    let fifo = dir.join("fifo");
    let fifo = fifo.to_str().unwrap();
    let zones = dir.join("zones");
    let zones = zones.to_str().unwrap();
    let warning =
        |path: &str| format!("vpn-connect-log: warning: {path}: not a regular file; using UTC\n");
    let colon = format!(":{fifo}");
    let cases: Vec<(Env, String)> = vec![
        (vec![("TZ", fifo.as_bytes())], warning(fifo)),
        (vec![("TZ", colon.as_bytes())], warning(fifo)),
        (
            vec![("TZ", b"Test/Fifo"), ("TZDIR", zones.as_bytes())],
            warning(&format!("{zones}/Test/Fifo")),
        ),
    ];
    for (env, stderr) in cases {
        let started = Instant::now();
        let (out, err) = connect_with(&env);
        let elapsed = started.elapsed();
        assert_eq!(out, line_at("2023-11-14-22:13"), "{env:?}");
        assert_eq!(err, stderr, "{env:?}");
        assert!(elapsed < FIFO_BOUND, "{env:?}: took {elapsed:?}");
    }
}

/// Recursively lists the regular files under `dir` (symbolic links are other names for files
/// already listed), as names relative to `base`.
fn regular_files(base: &Path, dir: &Path, found: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            regular_files(base, &path, found);
        } else if meta.is_file() {
            let name = path
                .strip_prefix(base)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            found.push(name);
        }
    }
}

/// What `date` prints for each instant, one `date` process for all of them.
fn date_prints(tz: &str, instants: &[i64], scratch: &Path) -> Vec<String> {
    let mut text = String::with_capacity(instants.len() * 12);
    for t in instants {
        text.push('@');
        text.push_str(&t.to_string());
        text.push('\n');
    }
    std::fs::write(scratch, text).unwrap();
    let output = Command::new("date")
        .env_clear()
        .env("TZ", tz)
        .env("LC_ALL", "C")
        .arg("-f")
        .arg(scratch)
        .arg("+%F-%H:%M %FT%T%:z")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "TZ={tz} date -f: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines.len(),
        instants.len(),
        "TZ={tz}: date printed too few lines"
    );
    lines
}

/// What the hooks print for `unix` in `zone`: the records' form and RFC 3339.
fn we_print(zone: &Zone, unix: i64) -> String {
    let time = zone.local_time(unix);
    let mut out = Vec::new();
    time.write_minute(&mut out);
    out.push(b' ');
    time.write_rfc3339(&mut out);
    String::from_utf8(out).unwrap()
}

/// Compares `zone` with `date` under `tz` at `instants`; returns how many were compared and
/// the first disagreements.
fn compare(tz: &str, zone: &Zone, instants: &[i64], scratch: &Path) -> (usize, Vec<String>) {
    let expected = date_prints(tz, instants, scratch);
    let mut wrong = Vec::new();
    for (&t, date) in instants.iter().zip(&expected) {
        let ours = we_print(zone, t);
        if &ours != date && wrong.len() < 5 {
            wrong.push(format!("TZ={tz} @{t}: date {date}, we {ours}"));
        }
    }
    (instants.len(), wrong)
}

/// Instants next to every change of `rule` (one second before, at, one after) in the years
/// `from..=2106`.
fn near_rule_changes(rule: &PosixTz, from: i64, out: &mut Vec<i64>) {
    for year in from..=2106 {
        if let Some((start, end)) = rule.changes(year) {
            for change in [start, end] {
                out.extend([change - 1, change, change + 1]);
            }
        }
    }
}

const SEED: u64 = 0x5EED_2026_1123;

/// Runs `job` over `items` on two threads (the CI machine has two cores), and sums.
fn in_parallel<T: Sync>(
    items: &[T],
    job: impl Fn(&T, &Path) -> (usize, Vec<String>) + Sync,
) -> (usize, Vec<String>) {
    let scratch = TempDir::new("oracle");
    let half = items.len().div_ceil(2);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(half.max(1))
            .enumerate()
            .map(|(n, chunk)| {
                let file = scratch.join(&format!("instants-{n}"));
                let job = &job;
                scope.spawn(move || {
                    let mut total = (0, Vec::new());
                    for item in chunk {
                        let (count, wrong) = job(item, &file);
                        total.0 += count;
                        total.1.extend(wrong);
                    }
                    total
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).fold(
            (0, Vec::new()),
            |mut sum, (count, wrong)| {
                sum.0 += count;
                sum.1.extend(wrong);
                sum
            },
        )
    })
}

#[test]
fn oracle_every_zone_file_agrees_with_date() {
    if !gate("VPN_LOG_SLOW") {
        return;
    }
    require_program("date", "coreutils");
    let base = Path::new(ZONEINFO);
    assert!(
        base.is_dir(),
        "{ZONEINFO} missing: install the Debian package 'tzdata'"
    );
    let mut names = Vec::new();
    regular_files(base, base, &mut names);
    // zone.tab, tzdata.zi, leap-seconds.list and the like are not zone files. posix/ holds
    // only symbolic links to the main tree (so nothing of it is listed); right/ holds real
    // files whose times count leap seconds, and is compared like the rest: glibc applies
    // their leap-second records, and so does this code.
    let (zones, other): (Vec<String>, Vec<String>) = names.into_iter().partition(|name| {
        std::fs::read(base.join(name)).is_ok_and(|bytes| bytes.starts_with(b"TZif"))
    });
    eprintln!("not TZif, skipped: {other:?}");
    assert!(
        zones.len() >= 300,
        "only {} zone files under {ZONEINFO}: install the Debian package 'tzdata'",
        zones.len()
    );
    let (compared, wrong) = in_parallel(&zones, |name, scratch| {
        let bytes = std::fs::read(base.join(name)).unwrap();
        let tzif = Tzif::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Found by name, as the hooks find a TZ name.
        let zone = ZoneFiles::system()
            .zone(Some(name.as_bytes()), None)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut prng = Prng::new(SEED ^ name.len() as u64);
        let mut instants: Vec<i64> = (0..300).map(|_| prng.range_i64(FIRST, LAST)).collect();
        for t in tzif
            .transitions()
            .iter()
            .chain(&tzif.leap_seconds().collect::<Vec<_>>())
        {
            if (FIRST..=LAST).contains(t) {
                instants.extend([t - 1, *t, t + 1]);
            }
        }
        if let Some(footer) = tzif.footer() {
            let last = tzif.transitions().last().copied().unwrap_or(0);
            let from = vpn_log::time::LocalTime::new(last, 0).year - 1;
            near_rule_changes(footer, from.max(1901), &mut instants);
        }
        compare(name, &zone, &instants, scratch)
    });
    eprintln!(
        "oracle: {} zone files, {compared} instants compared with date (seed {SEED:#x})",
        zones.len()
    );
    assert!(compared >= 500_000, "only {compared} instants compared");
    assert!(wrong.is_empty(), "disagreements:\n{}", wrong.join("\n"));
}

/// POSIX rule strings: the issue's, tzdata's footers with unusual features, and edge cases.
const RULES: &[&str] = &[
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "<+0330>-3:30",
    "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
    "EST5EDT4,0/0,J365/25",
    "EST5EDT,M3.2.0,M11.1.0",
    "PST8PDT,M3.2.0/2:00:00,M11.1.0/2:00:00",
    "AEST-10AEDT,M10.1.0,M4.1.0/3",
    "NZST-12NZDT,M9.5.0,M4.1.0/3",
    "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
    "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
    "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
    "IST-2IDT,M3.4.4/26,M10.5.0",
    "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
    "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3",
    "GMT0BST,M3.5.0/1,M10.5.0",
    "WET0WEST,M3.5.0/1,M10.5.0",
    "<-01>1<+00>,M3.5.0/0,M10.5.0/1",
    "AAA3BBB,J60/0,J300/0",
    "AAA3BBB,59/0,300/0",
    "AAA3BBB,J1/0,J365/0",
    "AAA3BBB,0/0,365/0",
    "XXX-1YYY,M3.5.0,M10.5.0/167",
    "XXX-1YYY,M3.5.0/-167,M10.5.0/167",
    "XXX+0:30YYY-0:30:15,J1/0,J365/24",
    // The largest offsets accepted (24 hours and more are refused: RFC 3339 cannot write them).
    "XXX-23:59:59YYY+23:59:59,M1.1.0,M12.5.6",
    "XXX5YYY,M2.5.0/23:59:59,M2.1.1/0:00:01",
    "<+0545>-5:45",
    "<-00>0",
    "UTC0",
    "XXX-14",
    "XXX12",
    "HST10",
    "MSK-3",
];

#[test]
fn oracle_posix_rules_agree_with_date() {
    if !gate("VPN_LOG_SLOW") {
        return;
    }
    require_program("date", "coreutils");
    let (compared, wrong) = in_parallel(RULES, |rule, scratch| {
        let zone = ZoneFiles::system()
            .zone(Some(rule.as_bytes()), None)
            .unwrap_or_else(|e| panic!("{rule}: {e}"));
        let parsed = PosixTz::parse(rule.as_bytes()).unwrap();
        let mut prng = Prng::new(SEED ^ rule.len() as u64);
        let mut instants: Vec<i64> = (0..2_000).map(|_| prng.range_i64(FIRST, LAST)).collect();
        near_rule_changes(&parsed, 1901, &mut instants);
        compare(rule, &zone, &instants, scratch)
    });
    eprintln!(
        "oracle: {} rules, {compared} instants compared with date (seed {SEED:#x})",
        RULES.len()
    );
    assert!(compared >= 50_000, "only {compared} instants compared");
    assert!(wrong.is_empty(), "disagreements:\n{}", wrong.join("\n"));
}

/// Runs the connect hook with no `TZ` in a private mount namespace after `setup` (a shell
/// script run as root inside it), and returns its record and stderr.
fn connect_in_namespace(setup: &str) -> (String, String) {
    let hook = crate::util::hook_command(crate::util::CONNECT);
    let script = format!("set -e; {setup}; exec \"$@\"");
    let mut unshare = Command::new("unshare");
    unshare
        .args(["-m", "--propagation", "private", "sh", "-c", &script, "sh"])
        .arg(hook.get_program())
        .args(hook.get_args())
        .args(["--file", "-"])
        .env_clear()
        .envs(SESSION.iter().copied())
        .stdin(Stdio::null());
    let run = crate::util::run(&mut unshare);
    run.expect_code(0);
    (run.stdout(), run.stderr())
}

#[test]
fn without_tz_the_hook_reads_etc_localtime() {
    if !require_root("bind-mounting a zone over /etc/localtime in a private mount namespace") {
        return;
    }
    require_program("unshare", "util-linux");
    let dir = TempDir::new("localtime");
    let zone = dir.join("zone");
    std::fs::write(&zone, fixed_tzif(20_700, "<+0545>-5:45")).unwrap();
    // /etc/localtime is usually a symbolic link; the mount lands on whatever it points to,
    // which is just as good: the hook reads the file through the link.
    let (out, err) =
        connect_in_namespace(&format!("mount --bind '{}' /etc/localtime", zone.display()));
    assert_eq!(out, line_at("2023-11-15-03:58"));
    assert_eq!(err, "");
}

#[test]
fn without_tz_a_dangling_etc_localtime_falls_back_to_etc_tz_like_openwrt() {
    if !require_root("mounting a tmpfs over /etc in a private mount namespace") {
        return;
    }
    require_program("unshare", "util-linux");
    let cases = [
        // OpenWrt: /etc/localtime dangles, /etc/TZ holds the rule.
        (
            "ln -s /tmp/nonexistent/zoneinfo/UTC /etc/localtime; \
             echo 'CET-1CEST,M3.5.0,M10.5.0/3' > /etc/TZ",
            "2023-11-14-23:13",
            "",
        ),
        // Neither file: UTC, silently.
        (":", "2023-11-14-22:13", ""),
        (
            "printf 'TZif2' > /etc/localtime; echo 'EST5' > /etc/TZ",
            "2023-11-14-22:13",
            "vpn-connect-log: warning: /etc/localtime: truncated TZif header; using UTC\n",
        ),
    ];
    for (files, minute, stderr) in cases {
        // The hook needs nothing else from /etc: it is linked statically or finds its
        // libraries without ld.so.cache.
        let (out, err) = connect_in_namespace(&format!(
            "mount -t tmpfs -o size=64k vpnlog-etc /etc; {files}"
        ));
        assert_eq!(out, line_at(minute), "{files}");
        assert_eq!(err, stderr, "{files}");
    }
}

#[test]
fn without_tz_a_fifo_at_etc_localtime_or_etc_tz_is_refused_at_once() {
    if !require_root("mounting a tmpfs over /etc in a private mount namespace") {
        return;
    }
    require_program("unshare", "util-linux");
    let warning =
        |path: &str| format!("vpn-connect-log: warning: {path}: not a regular file; using UTC\n");
    let cases = [
        (
            "mkfifo /etc/localtime; echo 'EST5' > /etc/TZ",
            warning("/etc/localtime"),
        ),
        // OpenWrt's layout: a dangling /etc/localtime, and /etc/TZ (here a FIFO).
        (
            "ln -s /tmp/nonexistent/zoneinfo/UTC /etc/localtime; mkfifo /etc/TZ",
            warning("/etc/TZ"),
        ),
    ];
    for (files, stderr) in cases {
        // The time covers unshare, the mount and mkfifo as well: still far below the bound.
        let started = Instant::now();
        let (out, err) = connect_in_namespace(&format!(
            "mount -t tmpfs -o size=64k vpnlog-etc /etc; {files}"
        ));
        let elapsed = started.elapsed();
        assert_eq!(out, line_at("2023-11-14-22:13"), "{files}");
        assert_eq!(err, stderr, "{files}");
        assert!(elapsed < FIFO_BOUND, "{files}: took {elapsed:?}");
    }
}

/// Damages `bytes` in one of several ways chosen by `prng`.
fn mutate(bytes: &mut Vec<u8>, prng: &mut Prng) {
    let len = bytes.len().max(1);
    match prng.below(6) {
        // Flip a few random bytes.
        0 => {
            for _ in 0..=prng.below(4) {
                let at = prng.below(len);
                if let Some(b) = bytes.get_mut(at) {
                    *b = prng.next_u64() as u8;
                }
            }
        }
        // A header count (either header) set to a boundary or random value.
        1 => {
            let header = if prng.below(2) == 0 {
                0
            } else {
                find_second_header(bytes)
            };
            let at = header + 20 + 4 * prng.below(6);
            let values = [
                0,
                1,
                2,
                255,
                256,
                0x7fff_ffff,
                0xffff_ffff,
                prng.next_u64() as u32,
            ];
            let value = values[prng.below(values.len())].to_be_bytes();
            for (i, v) in value.iter().enumerate() {
                if let Some(b) = bytes.get_mut(at + i) {
                    *b = *v;
                }
            }
        }
        // Truncate.
        2 => bytes.truncate(prng.below(len)),
        // Insert or delete a run of bytes.
        3 => {
            let at = prng.below(len).min(bytes.len());
            if prng.below(2) == 0 {
                let run: Vec<u8> = (0..prng.below(16)).map(|_| prng.next_u64() as u8).collect();
                bytes.splice(at..at, run);
            } else {
                let end = (at + prng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
        // Replace the footer with a random rule.
        4 => {
            let end = bytes.len().saturating_sub(1);
            let start = bytes[..end]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(end, |i| i + 1);
            let rule = random_rule(prng);
            bytes.splice(start..end, rule);
        }
        // Big-endian extremes in a random 8-byte time.
        _ => {
            let at = prng.below(len);
            let value = [i64::MIN, i64::MAX, -1, 0][prng.below(4)].to_be_bytes();
            for (i, v) in value.iter().enumerate() {
                if let Some(b) = bytes.get_mut(at + i) {
                    *b = *v;
                }
            }
        }
    }
}

/// Where the v2+ header starts, if the first header's counts can be believed.
fn find_second_header(bytes: &[u8]) -> usize {
    bytes
        .windows(4)
        .skip(4)
        .position(|w| w == b"TZif")
        .map_or(0, |i| i + 4)
}

/// A rule string: half the time built in the grammar's order from random (often out of
/// range) parts, otherwise assembled from pieces at random.
fn random_rule(prng: &mut Prng) -> Vec<u8> {
    if prng.below(2) == 0 {
        return structured_rule(prng);
    }
    const PIECES: &[&str] = &[
        "CET",
        "EST",
        "<+0330>",
        "<-03>",
        "<",
        ">",
        "A",
        "-1",
        "+5",
        "1",
        "24",
        "25",
        ":30",
        ":59",
        ":60",
        ":",
        ",",
        "M3.5.0",
        "M10.5.0",
        "M13.1.0",
        "M3.6.0",
        "M3.1.7",
        "J60",
        "J0",
        "J365",
        "0",
        "365",
        "366",
        "/",
        "/2",
        "/-167",
        "/167",
        "/168",
        "/-2:30:15",
        ".",
        "M",
        "J",
        "99999999999999999999",
        "\n",
        " ",
        "\u{e9}",
        "\0",
    ];
    let mut out = Vec::new();
    for _ in 0..prng.below(12) {
        out.extend_from_slice(PIECES[prng.below(PIECES.len())].as_bytes());
    }
    out
}

fn structured_rule(prng: &mut Prng) -> Vec<u8> {
    const NAMES: &[&str] = &["CET", "<+0330>", "<-00>", "AB", "<A>", "XYZW"];
    let number = |prng: &mut Prng, max: i64| prng.range_i64(0, max).to_string();
    let mut out = String::new();
    let offset = |prng: &mut Prng, out: &mut String, max: i64| {
        out.push_str(["", "+", "-"][prng.below(3)]);
        out.push_str(&number(prng, max));
        for _ in 0..prng.below(3) {
            out.push(':');
            out.push_str(&number(prng, 61));
        }
    };
    out.push_str(NAMES[prng.below(NAMES.len())]);
    offset(prng, &mut out, 26);
    if prng.below(4) > 0 {
        out.push_str(NAMES[prng.below(NAMES.len())]);
        if prng.below(2) == 0 {
            offset(prng, &mut out, 26);
        }
        if prng.below(4) > 0 {
            for _ in 0..2 {
                out.push(',');
                match prng.below(3) {
                    0 => out.push_str(&format!("J{}", prng.range_i64(0, 367))),
                    1 => out.push_str(&prng.range_i64(0, 367).to_string()),
                    _ => out.push_str(&format!(
                        "M{}.{}.{}",
                        prng.range_i64(0, 13),
                        prng.range_i64(0, 6),
                        prng.range_i64(0, 7)
                    )),
                }
                if prng.below(2) == 0 {
                    out.push('/');
                    offset(prng, &mut out, 170);
                }
            }
        }
    }
    out.into_bytes()
}

/// Instants every parsed zone is asked about, extremes included.
fn probe(zone: &Zone, prng: &mut Prng) {
    let mut out = Vec::new();
    let extremes = [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX];
    for t in extremes
        .into_iter()
        .chain((0..4).map(|_| prng.next_u64() as i64))
    {
        let time = zone.local_time(t);
        time.write_minute(&mut out);
        time.write_rfc3339(&mut out);
    }
}

#[test]
fn damaged_zone_files_and_random_rules_never_panic_or_hang() {
    if !gate("VPN_LOG_SLOW") {
        return;
    }
    let base = Path::new(ZONEINFO);
    let mut samples = vec![
        "Europe/Berlin",
        "America/Sao_Paulo",
        "Australia/Lord_Howe",
        "America/Nuuk",
        "Asia/Jerusalem",
        "Etc/UTC",
    ];
    // A zone with leap seconds; Debian 13 moved right/ to the package tzdata-legacy.
    if base.join("right/Europe/London").is_file() {
        samples.push("right/Europe/London");
    }
    let mut seeds: Vec<Vec<u8>> = samples
        .iter()
        .map(|name| {
            let path: PathBuf = base.join(name);
            std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}: install the Debian package 'tzdata'",
                    path.display()
                )
            })
        })
        .collect();
    seeds.push(fixed_tzif(3600, "CET-1CEST,M3.5.0,M10.5.0/3"));
    let seed = SEED;
    let mut prng = Prng::new(seed);
    let started = Instant::now();
    let rounds = 100_000;
    let mut accepted = 0;
    for round in 0..rounds {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut bytes = seeds[prng.below(seeds.len())].clone();
            // Mostly one mutation: a file that is still accepted exercises the lookup too.
            let mutations = if prng.below(4) == 0 { 3 } else { 1 };
            for _ in 0..mutations {
                mutate(&mut bytes, &mut prng);
            }
            let mut ok = 0;
            if let Ok(tzif) = Tzif::parse(&bytes) {
                probe(&Zone::from_tzif(tzif), &mut prng);
                ok += 1;
            }
            let rule = random_rule(&mut prng);
            if let Ok(rule) = PosixTz::parse(&rule) {
                probe(&Zone::from_rule(rule), &mut prng);
                ok += 1;
            }
            ok
        }));
        match result {
            Ok(ok) => accepted += ok,
            Err(_) => panic!("panic in round {round} (seed {seed:#x})"),
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "robustness: {rounds} damaged files and {rounds} random rules, {accepted} accepted, \
         in {elapsed:?} (seed {seed:#x})"
    );
    assert!(
        elapsed < Duration::from_secs(120),
        "took {elapsed:?} (seed {seed:#x})"
    );
}
