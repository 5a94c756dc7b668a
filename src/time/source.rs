//! Which zone the host is in: `TZ`, `TZDIR`, the zoneinfo directories, `/etc/localtime`,
//! `/etc/TZ`, in the order the C libraries use them.
//!
//! - `TZ` set and empty: UTC (POSIX leaves it open; glibc and musl both use UTC).
//! - `TZ` set: a leading `:` is dropped; then, as glibc's `tzset` does, the value is first
//!   tried as a TZif file (an absolute path as is, a name in `$TZDIR`, `/usr/share/zoneinfo`,
//!   `/share/zoneinfo`, `/etc/zoneinfo`, the first that has it), and only if there is no such
//!   file parsed as a POSIX rule (`CET-1CEST,M3.5.0,M10.5.0/3`). Names containing `..` are
//!   refused: they could reach outside the zoneinfo directories. glibc reads only one
//!   directory; the list is musl's, which is what OpenWrt uses.
//! - `TZ` unset: `/etc/localtime`; if it does not exist (OpenWrt leaves a dangling symlink),
//!   `/etc/TZ`, whose content is taken like a `TZ` value (OpenWrt writes a POSIX rule there);
//!   if neither exists, UTC without a warning.
//! - A file that exists but cannot be read, is not a regular file (a FIFO, a device) or is not
//!   a valid TZif file, and a value that is neither a file nor a rule, give UTC and a
//!   [`ZoneWarning`] naming the source. A damaged file is not replaced by a guess: a
//!   plausible but wrong time is worse than UTC with a warning.
//!
//! Every file is opened without waiting, used only if it is a regular file, and read once, into
//! memory, and only up to [`MAX_FILE_SIZE`]: a hook must never wait on a FIFO or read a device
//! without end. Paths go through [`ZoneFiles`], which can put the whole file system under a
//! test directory.

use super::posix::{PosixError, PosixTz};
use super::tzif::{Tzif, TzifError};
use super::Zone;
use crate::diag::kind_text;
use crate::escape::write_escaped;
use crate::sys::{self, OpenFor};
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

/// The largest zone file read. tzdata's largest file is under 4 KiB; anything near this size
/// is not a zone file, and reading it would slow every hook run.
pub const MAX_FILE_SIZE: usize = 64 * 1024;

/// Where zone names are looked up after `$TZDIR`.
pub const ZONEINFO_DIRS: [&str; 3] = ["/usr/share/zoneinfo", "/share/zoneinfo", "/etc/zoneinfo"];
pub const LOCALTIME: &str = "/etc/localtime";
pub const ETC_TZ: &str = "/etc/TZ";

/// How many bytes of a `TZ` value or path a warning shows.
const SHOWN_CAP: usize = 128;

/// Why the system's zone could not be used; the caller falls back to UTC and warns once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneWarning {
    source: Source,
    problem: Problem,
}

/// What failed: a file (by the path a user would look at) or a `TZ`-style value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    File(Vec<u8>),
    /// A value and where it came from (`TZ` or `/etc/TZ`).
    Value(&'static str, Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Read(std::io::ErrorKind),
    /// A FIFO, a device or a socket: reading it could wait forever or never end.
    NotRegular,
    TooLarge,
    Tzif(TzifError),
    NotAZone(PosixError),
    DotDot,
}

impl ZoneWarning {
    /// The message, naming the source: `/etc/localtime: truncated TZif data block`,
    /// `TZ='Nowhere/Bogus': no such zone file, and not a POSIX TZ rule: ...`. Paths and values
    /// are shown escaped: they are bytes, not necessarily text.
    pub fn message(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        match &self.source {
            Source::File(path) => write_escaped(&mut out, path, SHOWN_CAP),
            Source::Value(origin, value) => {
                out.extend_from_slice(origin.as_bytes());
                out.extend_from_slice(if *origin == "TZ" { b"='" } else { b" '" });
                write_escaped(&mut out, value, SHOWN_CAP);
                out.push(b'\'');
            }
        }
        out.extend_from_slice(b": ");
        // Without `core::fmt`, whose machinery costs the binaries some 13 KB.
        match &self.problem {
            Problem::Read(kind) => {
                out.extend_from_slice(b"cannot read: ");
                out.extend_from_slice(kind_text(*kind).as_bytes());
            }
            Problem::NotRegular => out.extend_from_slice(b"not a regular file"),
            Problem::TooLarge => out.extend_from_slice(b"larger than 64 KiB, not a zone file"),
            Problem::Tzif(e) => out.extend_from_slice(&e.message()),
            Problem::NotAZone(e) => {
                out.extend_from_slice(b"no such zone file, and not a POSIX TZ rule: ");
                out.extend_from_slice(e.text().as_bytes());
            }
            Problem::DotDot => out.extend_from_slice(b"zone name contains '..'"),
        }
        out
    }
}

impl std::fmt::Display for ZoneWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

/// A zone file that was read: its path (as shown in warnings) and its bytes.
type Found = (Vec<u8>, Vec<u8>);

/// Reading a file failed; `Missing` lets the lookup go on to the next place.
enum ReadError {
    Missing,
    Failed(Problem),
}

/// Access to the zone files: the real file system, or a directory standing in for `/`.
#[derive(Debug, Clone)]
pub struct ZoneFiles {
    /// Prepended to every absolute path; empty for the real file system.
    root: Vec<u8>,
}

impl ZoneFiles {
    /// The real file system.
    pub fn system() -> ZoneFiles {
        ZoneFiles { root: Vec::new() }
    }

    /// A file system whose `/` is `root` (tests): `/etc/localtime` is `<root>/etc/localtime`.
    pub fn under(root: &std::path::Path) -> ZoneFiles {
        ZoneFiles {
            root: root.as_os_str().as_bytes().to_vec(),
        }
    }

    /// The zone for a `TZ` value (`None` when unset) and a `TZDIR` value.
    pub fn zone(&self, tz: Option<&[u8]>, tzdir: Option<&[u8]>) -> Result<Zone, ZoneWarning> {
        match tz {
            Some(value) => self.value_zone("TZ", value, tzdir),
            None => self.unset_tz(tzdir),
        }
    }

    /// `TZ` unset: `/etc/localtime`, else `/etc/TZ`, else UTC.
    fn unset_tz(&self, tzdir: Option<&[u8]>) -> Result<Zone, ZoneWarning> {
        match self.read(LOCALTIME.as_bytes()) {
            Ok(bytes) => return tzif_zone(LOCALTIME.as_bytes(), &bytes),
            Err(ReadError::Missing) => {}
            Err(ReadError::Failed(problem)) => return Err(file_warning(LOCALTIME, problem)),
        }
        match self.read(ETC_TZ.as_bytes()) {
            Ok(bytes) => {
                // One line, as OpenWrt writes it; surrounding blanks are not part of a rule.
                let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
                let value = line.trim_ascii();
                self.value_zone(ETC_TZ, value, tzdir)
            }
            Err(ReadError::Missing) => Ok(Zone::utc()),
            Err(ReadError::Failed(problem)) => Err(file_warning(ETC_TZ, problem)),
        }
    }

    /// A `TZ`-style value from `origin`: empty, a file, or a rule.
    fn value_zone(
        &self,
        origin: &'static str,
        value: &[u8],
        tzdir: Option<&[u8]>,
    ) -> Result<Zone, ZoneWarning> {
        let name = value.strip_prefix(b":").unwrap_or(value);
        if name.is_empty() {
            return Ok(Zone::utc());
        }
        let value_warning = |problem| ZoneWarning {
            source: Source::Value(origin, value.to_vec()),
            problem,
        };
        let file = if name.starts_with(b"/") {
            self.read_named(name.to_vec())
        } else if name.windows(2).any(|w| w == b"..") {
            return Err(value_warning(Problem::DotDot));
        } else {
            self.find(name, tzdir)
        };
        match file {
            Ok(Some((path, bytes))) => tzif_zone(&path, &bytes),
            Ok(None) => PosixTz::parse(name)
                .map(Zone::from_rule)
                .map_err(|e| value_warning(Problem::NotAZone(e))),
            Err(warning) => Err(warning),
        }
    }

    /// Reads `path`: its bytes, `None` when there is no such file, or a warning naming it.
    fn read_named(&self, path: Vec<u8>) -> Result<Option<Found>, ZoneWarning> {
        match self.read(&path) {
            Ok(bytes) => Ok(Some((path, bytes))),
            Err(ReadError::Missing) => Ok(None),
            Err(ReadError::Failed(problem)) => Err(ZoneWarning {
                source: Source::File(path),
                problem,
            }),
        }
    }

    /// Looks `name` up in `$TZDIR` and the zoneinfo directories; the first file found wins.
    /// Like [`ZoneFiles::read_named`], `None` when no directory has it.
    fn find(&self, name: &[u8], tzdir: Option<&[u8]>) -> Result<Option<Found>, ZoneWarning> {
        let tzdir = tzdir.filter(|d| !d.is_empty());
        let dirs = tzdir
            .into_iter()
            .chain(ZONEINFO_DIRS.iter().map(|d| d.as_bytes()));
        for dir in dirs {
            let mut path = Vec::with_capacity(dir.len() + 1 + name.len());
            path.extend_from_slice(dir);
            path.push(b'/');
            path.extend_from_slice(name);
            if let Some(found) = self.read_named(path)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Reads the file at `path` (as the program sees it, before `root`), at most
    /// [`MAX_FILE_SIZE`] bytes. The file is opened without waiting (`O_NONBLOCK`: opening a
    /// FIFO would otherwise wait for a writer forever, and the server with it) and used only if
    /// what was opened is a regular file: the opened file's own metadata is checked, not the
    /// path's, so nothing can be swapped in between. A directory counts as missing, like a
    /// path that runs into a file (`UTC/x`): a zone name such as `Europe` is not a zone file,
    /// so the value is then tried as a rule. Costs `open`, `fstat`, one `read` (the size is
    /// known, so no second `read` is needed to see the end) and `close`.
    fn read(&self, path: &[u8]) -> Result<Vec<u8>, ReadError> {
        let mut full = self.root.clone();
        full.extend_from_slice(path);
        let full = PathBuf::from(OsString::from_vec(full));
        let file = sys::open_file(&full, OpenFor::Read).map_err(read_error)?;
        let metadata = file.metadata().map_err(read_error)?;
        if metadata.is_dir() {
            return Err(ReadError::Missing);
        }
        if !metadata.is_file() {
            return Err(ReadError::Failed(Problem::NotRegular));
        }
        let size = match usize::try_from(metadata.len()) {
            Ok(size) if size <= MAX_FILE_SIZE => size,
            _ => return Err(ReadError::Failed(Problem::TooLarge)),
        };
        // The file may change while it is read: never more than the size seen, which is
        // within the cap. A file that shrank reads short and fails to parse, as it should.
        let mut bytes = Vec::with_capacity(size);
        file.take(size as u64)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        Ok(bytes)
    }
}

/// A missing file, a path that runs into a file (`UTC/x`: `ENOTDIR`) and a directory
/// (`EISDIR`) mean "no zone file here", so the lookup goes on; anything else is a failure.
fn read_error(e: std::io::Error) -> ReadError {
    use std::io::ErrorKind::{IsADirectory, NotADirectory, NotFound};
    if matches!(e.kind(), NotFound | NotADirectory | IsADirectory) {
        ReadError::Missing
    } else {
        ReadError::Failed(Problem::Read(e.kind()))
    }
}

fn file_warning(path: &str, problem: Problem) -> ZoneWarning {
    ZoneWarning {
        source: Source::File(path.as_bytes().to_vec()),
        problem,
    }
}

fn tzif_zone(path: &[u8], bytes: &[u8]) -> Result<Zone, ZoneWarning> {
    Tzif::parse(bytes)
        .map(Zone::from_tzif)
        .map_err(|e| ZoneWarning {
            source: Source::File(path.to_vec()),
            problem: Problem::Tzif(e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::O_NONBLOCK;
    use crate::time::tzif::tests::{build, Build};
    use std::fs::OpenOptions;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const H: i32 = 3600;

    /// What a test puts at a path under its root.
    enum Entry {
        /// A TZif v2 file with one fixed offset (seconds east).
        Zone(i32),
        Bytes(&'static [u8]),
        Symlink(&'static str),
        Dir,
        /// A named pipe with no writer: opening it to read could wait forever.
        Fifo,
    }
    use Entry::*;

    /// A directory standing in for `/`, removed on drop.
    struct Root(PathBuf);

    impl Root {
        fn new(entries: &[(&str, Entry)]) -> Root {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let dir = std::env::temp_dir()
                .join(format!("vpn-log-unit-source-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (path, entry) in entries {
                let full = dir.join(path.trim_start_matches('/'));
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                match entry {
                    Zone(offset) => std::fs::write(&full, fixed(*offset)).unwrap(),
                    Bytes(bytes) => std::fs::write(&full, bytes).unwrap(),
                    Symlink(target) => std::os::unix::fs::symlink(target, &full).unwrap(),
                    Dir => std::fs::create_dir_all(&full).unwrap(),
                    Fifo => mkfifo(&full),
                }
            }
            Root(dir)
        }
    }

    impl Drop for Root {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fixed(offset: i32) -> Vec<u8> {
        build(&Build {
            version: b'2',
            transitions: &[],
            types: &[(offset, false)],
            leaps: &[],
            footer: "",
        })
    }

    /// The zone found under a root holding `entries`, for `TZ` and `TZDIR`: its offsets in
    /// January and July 2023, or the warning.
    fn check(root: &Root, tz: Option<&str>, tzdir: Option<&str>, expected: Expected) {
        let files = ZoneFiles::under(&root.0);
        let got = files
            .zone(tz.map(str::as_bytes), tzdir.map(str::as_bytes))
            .map(|zone| (zone.offset_at(1_672_531_200), zone.offset_at(1_688_169_600)))
            .map_err(|warning| warning.to_string());
        let expected = expected.map_err(str::to_owned);
        assert_eq!(got, expected, "TZ={tz:?} TZDIR={tzdir:?}");
    }

    /// Offsets in January and July, or the warning.
    type Expected = Result<(i32, i32), &'static str>;

    const BERLIN_RULE: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

    #[test]
    fn tz_values() {
        let root = Root::new(&[
            ("/usr/share/zoneinfo/Europe/Berlin", Zone(H)),
            ("/usr/share/zoneinfo/EST5EDT", Zone(-5 * H)),
            ("/usr/share/zoneinfo/Bad", Bytes(b"TZif2")),
            ("/share/zoneinfo/Only/Share", Zone(2 * H)),
            ("/share/zoneinfo/Europe/Berlin", Zone(9 * H)),
            ("/etc/zoneinfo/Only/Etc", Zone(3 * H)),
            ("/tzdir/Europe/Berlin", Zone(4 * H)),
            ("/tzdir/Bad", Bytes(b"not a zone")),
            ("/files/zone", Zone(5 * H)),
            ("/etc/localtime", Zone(6 * H)),
            ("/usr/share/zoneinfo/Europe/Dir", Dir),
        ]);
        let cases: &[(Option<&str>, Option<&str>, Expected)] = &[
            (Some(""), None, Ok((0, 0))),
            (Some(":"), None, Ok((0, 0))),
            (Some(BERLIN_RULE), None, Ok((H, 2 * H))),
            (Some(":CET-1CEST,M3.5.0,M10.5.0/3"), None, Ok((H, 2 * H))),
            (Some("<+0330>-3:30"), None, Ok((12_600, 12_600))),
            (Some("Europe/Berlin"), None, Ok((H, H))),
            (Some(":Europe/Berlin"), None, Ok((H, H))),
            (Some("Europe/Berlin"), Some("/tzdir"), Ok((4 * H, 4 * H))),
            (Some("Europe/Berlin"), Some(""), Ok((H, H))),
            (Some("Only/Share"), Some("/tzdir"), Ok((2 * H, 2 * H))),
            (Some("Only/Etc"), None, Ok((3 * H, 3 * H))),
            // A file wins over a rule of the same name, as in glibc.
            (Some("EST5EDT"), None, Ok((-5 * H, -5 * H))),
            (Some("EST5EDT4"), None, Ok((-5 * H, -4 * H))),
            (Some("/files/zone"), None, Ok((5 * H, 5 * H))),
            (Some(":/files/zone"), None, Ok((5 * H, 5 * H))),
            (
                Some("Nowhere/Bogus"),
                None,
                Err(
                    "TZ='Nowhere/Bogus': no such zone file, and not a POSIX TZ rule: \
                     missing or bad standard time offset",
                ),
            ),
            (
                Some("/files/none"),
                None,
                Err(
                    "TZ='/files/none': no such zone file, and not a POSIX TZ rule: \
                     missing or bad standard time name",
                ),
            ),
            (
                Some("Europe/Dir"),
                None,
                Err(
                    "TZ='Europe/Dir': no such zone file, and not a POSIX TZ rule: \
                     missing or bad standard time offset",
                ),
            ),
            (
                Some("../etc/localtime"),
                None,
                Err("TZ='../etc/localtime': zone name contains '..'"),
            ),
            (
                Some("Europe/../Europe/Berlin"),
                None,
                Err("TZ='Europe/../Europe/Berlin': zone name contains '..'"),
            ),
            (
                Some("Bad"),
                None,
                Err("/usr/share/zoneinfo/Bad: truncated TZif header"),
            ),
            (
                Some("Bad"),
                Some("/tzdir"),
                Err("/tzdir/Bad: not a TZif file"),
            ),
            (
                Some("\u{1b}[2J"),
                None,
                Err(
                    "TZ='\\x1B[2J': no such zone file, and not a POSIX TZ rule: \
                     missing or bad standard time name",
                ),
            ),
        ];
        for &(tz, tzdir, ref expected) in cases {
            check(&root, tz, tzdir, *expected);
        }
    }

    #[test]
    fn tz_unset() {
        let berlin = ("/usr/share/zoneinfo/Europe/Berlin", Zone(H));
        let too_large: &'static [u8] = Box::leak(vec![b'x'; MAX_FILE_SIZE + 1].into_boxed_slice());
        let truncated: &'static [u8] = Box::leak(fixed(H)[..50].to_vec().into_boxed_slice());
        let cases: Vec<(Vec<(&str, Entry)>, Expected)> = vec![
            (vec![], Ok((0, 0))),
            (vec![("/etc/localtime", Zone(2 * H))], Ok((2 * H, 2 * H))),
            (
                vec![
                    berlin,
                    (
                        "/etc/localtime",
                        Symlink("../usr/share/zoneinfo/Europe/Berlin"),
                    ),
                ],
                Ok((H, H)),
            ),
            // OpenWrt: a dangling symlink and a rule in /etc/TZ.
            (
                vec![
                    ("/etc/localtime", Symlink("/nonexistent/zoneinfo/UTC")),
                    ("/etc/TZ", Bytes(b"CET-1CEST,M3.5.0,M10.5.0/3\n")),
                ],
                Ok((H, 2 * H)),
            ),
            (
                vec![("/etc/TZ", Bytes(b"  <+0545>-5:45 \n"))],
                Ok((20_700, 20_700)),
            ),
            (vec![("/etc/TZ", Bytes(b"\n"))], Ok((0, 0))),
            (
                vec![
                    ("/usr/share/zoneinfo/Asia/Tokyo", Zone(9 * H)),
                    ("/etc/TZ", Bytes(b"Asia/Tokyo\n")),
                ],
                Ok((9 * H, 9 * H)),
            ),
            // /etc/localtime wins over /etc/TZ.
            (
                vec![
                    ("/etc/localtime", Zone(2 * H)),
                    ("/etc/TZ", Bytes(b"EST5\n")),
                ],
                Ok((2 * H, 2 * H)),
            ),
            (
                vec![("/etc/localtime", Bytes(truncated))],
                Err("/etc/localtime: truncated TZif data block"),
            ),
            (
                vec![("/etc/localtime", Bytes(too_large))],
                Err("/etc/localtime: larger than 64 KiB, not a zone file"),
            ),
            (
                vec![("/etc/localtime", Dir), ("/etc/TZ", Bytes(b"EST5\n"))],
                Ok((-5 * H, -5 * H)),
            ),
            (
                vec![("/etc/TZ", Bytes(b"garbage!!\n"))],
                Err(
                    "/etc/TZ 'garbage!!': no such zone file, and not a POSIX TZ rule: \
                     missing or bad standard time offset",
                ),
            ),
        ];
        for (entries, expected) in cases {
            check(&Root::new(&entries), None, None, expected);
        }
    }

    /// Makes a FIFO with mkfifo(1): std has no call for it, and only `sys` may
    /// call the C library.
    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap_or_else(|e| panic!("mkfifo {}: {e}", path.display()));
        assert!(status.success(), "mkfifo {}: {status}", path.display());
    }

    /// What reading `path` under a fresh root holding `entries` gives: the file's length, or
    /// why not.
    fn read_outcome(entries: &[(&str, Entry)], path: &str) -> Result<usize, String> {
        let root = Root::new(entries);
        match ZoneFiles::under(&root.0).read(path.as_bytes()) {
            Ok(bytes) => Ok(bytes.len()),
            Err(ReadError::Missing) => Err("missing".to_owned()),
            Err(ReadError::Failed(problem)) => Err(format!("{problem:?}")),
        }
    }

    #[test]
    fn reads_regular_files_up_to_the_cap_and_nothing_else() {
        let sized = |len: usize| -> &'static [u8] { Box::leak(vec![b'x'; len].into_boxed_slice()) };
        type Case = (Vec<(&'static str, Entry)>, Result<usize, &'static str>);
        let cases: Vec<Case> = vec![
            (vec![("/zone", Bytes(sized(0)))], Ok(0)),
            (vec![("/zone", Bytes(sized(4096)))], Ok(4096)),
            (
                vec![("/zone", Bytes(sized(MAX_FILE_SIZE)))],
                Ok(MAX_FILE_SIZE),
            ),
            (
                vec![("/zone", Bytes(sized(MAX_FILE_SIZE + 1)))],
                Err("TooLarge"),
            ),
            (vec![("/zone", Dir)], Err("missing")),
            (vec![], Err("missing")),
            (vec![("/zone", Fifo)], Err("NotRegular")),
            (
                vec![("/real", Bytes(sized(100))), ("/zone", Symlink("real"))],
                Ok(100),
            ),
            (
                vec![("/fifo", Fifo), ("/zone", Symlink("fifo"))],
                Err("NotRegular"),
            ),
        ];
        for (entries, expected) in cases {
            let expected = expected.map_err(str::to_owned);
            assert_eq!(read_outcome(&entries, "/zone"), expected);
        }
        // The same file through a path that runs into a file is missing too (ENOTDIR).
        let entries = [("/zone", Bytes(b"x"))];
        assert_eq!(read_outcome(&entries, "/zone/x"), Err("missing".to_owned()));
    }

    /// A FIFO where a zone file is expected, on every path a zone is read from: refused at
    /// once with a warning naming it, never waited on. If the refusal ever regressed into a
    /// blocking `open`, a helper thread opens each FIFO for writing after a few seconds, which
    /// ends the wait, and the time check fails the test instead of hanging it.
    #[test]
    fn fifos_are_refused_without_waiting() {
        type Case = (
            Vec<(&'static str, Entry)>,
            Option<&'static str>,
            Option<&'static str>,
            &'static str,
        );
        let berlin = || ("/usr/share/zoneinfo/Europe/Berlin", Zone(H));
        let cases: Vec<Case> = vec![
            (
                vec![("/files/fifo", Fifo)],
                Some("/files/fifo"),
                None,
                "/files/fifo: not a regular file",
            ),
            (
                vec![("/tzdir/Europe/Berlin", Fifo), berlin()],
                Some("Europe/Berlin"),
                Some("/tzdir"),
                "/tzdir/Europe/Berlin: not a regular file",
            ),
            (
                vec![("/usr/share/zoneinfo/Europe/Berlin", Fifo)],
                Some(":Europe/Berlin"),
                None,
                "/usr/share/zoneinfo/Europe/Berlin: not a regular file",
            ),
            (
                vec![("/etc/localtime", Fifo), ("/etc/TZ", Bytes(b"EST5\n"))],
                None,
                None,
                "/etc/localtime: not a regular file",
            ),
            (
                vec![("/fifo", Fifo), ("/etc/localtime", Symlink("../fifo"))],
                None,
                None,
                "/etc/localtime: not a regular file",
            ),
            (
                vec![("/etc/TZ", Fifo)],
                None,
                None,
                "/etc/TZ: not a regular file",
            ),
            (
                vec![
                    ("/etc/TZ", Bytes(b"Europe/Berlin\n")),
                    ("/usr/share/zoneinfo/Europe/Berlin", Fifo),
                ],
                None,
                None,
                "/usr/share/zoneinfo/Europe/Berlin: not a regular file",
            ),
        ];
        for (entries, tz, tzdir, expected) in cases {
            let root = Root::new(&entries);
            let fifos: Vec<PathBuf> = entries
                .iter()
                .filter(|(_, entry)| matches!(entry, Fifo))
                .map(|(path, _)| root.0.join(path.trim_start_matches('/')))
                .collect();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_secs(3));
                for fifo in fifos {
                    let _ = OpenOptions::new()
                        .write(true)
                        .custom_flags(O_NONBLOCK)
                        .open(fifo);
                }
            });
            let started = std::time::Instant::now();
            let got = ZoneFiles::under(&root.0)
                .zone(tz.map(str::as_bytes), tzdir.map(str::as_bytes))
                .map_err(|warning| warning.to_string());
            let elapsed = started.elapsed();
            assert_eq!(got, Err(expected.to_owned()), "TZ={tz:?} TZDIR={tzdir:?}");
            assert!(
                elapsed < std::time::Duration::from_millis(500),
                "TZ={tz:?}: took {elapsed:?}"
            );
        }
    }

    #[test]
    fn devices_are_refused() {
        // The real /dev/null: a character device reads as empty, /dev/zero without end.
        for device in ["/dev/null", "/dev/zero"] {
            let got = ZoneFiles::system()
                .zone(Some(device.as_bytes()), None)
                .map_err(|warning| warning.to_string());
            assert_eq!(got, Err(format!("{device}: not a regular file")));
        }
    }
}
