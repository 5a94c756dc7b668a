//! Appending a record to a flat file, safely shared by many server instances.
//!
//! The file is opened for every record with `O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC` (std sets
//! `O_CLOEXEC` itself) and the record leaves in ONE `write(2)`. With `O_APPEND` the kernel
//! positions and writes each call atomically with respect to other appenders of a local file,
//! so records from concurrent hooks never interleave or overwrite each other. Opening per record
//! also means log rotation needs no signal: the next record goes to the new file.
//!
//! The file is also opened with `O_NONBLOCK`, which changes nothing for regular files but keeps
//! a FIFO from freezing the server: without a reader, `open(2)` fails at once (`ENXIO`) instead
//! of waiting forever, and a full pipe fails the write instead of blocking it.
//!
//! A record always starts on a line of its own. When the kernel takes only part of a record (a
//! full disk, a quota), the record is reported and kept whole on stderr, but its first bytes
//! are in the file, with no newline: the next record would be glued to them. So the last byte
//! of that fragment is overwritten with `\n`, through a second descriptor without `O_APPEND`
//! (on Linux, `pwrite(2)` on an `O_APPEND` descriptor appends), after checking that the path
//! still names the same file (log rotation may have moved it). The byte is this process's own,
//! wherever other appenders have written since, and overwriting it needs no new space on the
//! disk. It costs nothing unless a write came up short. Reading the file's last byte before
//! every write was measured and rejected: a concurrent append that spans two pages can be seen
//! half-done, and the guard then put an empty line into the file (see ARCHITECTURE.md).
//!
//! Missing directories are not created: a typo in `--file` should be reported, not turned into
//! a surprise directory tree by a process running as `nobody`.

use crate::diag::write_io_error;
use crate::numbers::write_u64;
use crate::sys::{self, OpenFor};
use std::fmt;
use std::fs::File;
use std::io::{self, Seek, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;

/// Permissions for a file the hook creates: owner read/write, group read (the records name
/// users and addresses, so not world-readable), before the umask.
pub const NEW_FILE_MODE: u32 = 0o640;

/// Why a record could not be appended.
#[derive(Debug)]
pub struct FileError {
    kind: FileErrorKind,
}

#[derive(Debug)]
enum FileErrorKind {
    Open(io::Error),
    Write(io::Error),
    /// The kernel took only part of the record (a full disk or a quota, usually); whether the
    /// fragment's line could then be ended (not tried when nothing was written).
    Short {
        written: usize,
        len: usize,
        ended: Option<Result<(), NotEnded>>,
    },
}

impl FileError {
    /// The message: `cannot open for appending: Permission denied (os error 13)`. Written
    /// without `core::fmt` (see `diag::write_io_error`).
    pub fn message(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(96);
        match &self.kind {
            FileErrorKind::Open(error) => {
                out.extend_from_slice(b"cannot open for appending: ");
                write_io_error(&mut out, error);
            }
            FileErrorKind::Write(error) => {
                out.extend_from_slice(b"cannot write: ");
                write_io_error(&mut out, error);
            }
            FileErrorKind::Short {
                written,
                len,
                ended,
            } => {
                out.extend_from_slice(b"short write: ");
                write_u64(&mut out, *written as u64);
                out.extend_from_slice(b" of ");
                write_u64(&mut out, *len as u64);
                out.extend_from_slice(b" bytes written (disk full?)");
                match ended {
                    None => {}
                    Some(Ok(())) => {
                        out.extend_from_slice(b"; the cut line was ended with a newline")
                    }
                    Some(Err(NotEnded::Replaced)) => out.extend_from_slice(
                        b"; the cut line could not be ended: the file was replaced or truncated",
                    ),
                    Some(Err(NotEnded::Failed(error))) => {
                        out.extend_from_slice(b"; the cut line could not be ended: ");
                        write_io_error(&mut out, error);
                    }
                }
            }
        }
        out
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

/// Why the line of a cut record was left open.
#[derive(Debug)]
enum NotEnded {
    /// The path names another file now, or the file no longer reaches the fragment.
    Replaced,
    Failed(io::Error),
}

impl From<io::Error> for NotEnded {
    fn from(error: io::Error) -> NotEnded {
        NotEnded::Failed(error)
    }
}

/// Appends `record` to the file at `path` in a single `write(2)`, creating the file (mode
/// [`NEW_FILE_MODE`]) if needed. After a short write, the part written ends in a newline.
pub fn append(path: &Path, record: &[u8]) -> Result<(), FileError> {
    let mut file =
        sys::open_file(path, OpenFor::AppendOrCreate(NEW_FILE_MODE)).map_err(|error| {
            FileError {
                kind: FileErrorKind::Open(error),
            }
        })?;
    let mut result = write_once(&mut file, record);
    if let Err(FileError {
        kind: FileErrorKind::Short { written, ended, .. },
    }) = &mut result
    {
        if *written > 0 {
            *ended = Some(end_line(path, &mut file));
        }
    }
    result
}

/// After a short write through `file` (opened on `path` with `O_APPEND`), overwrites the last
/// byte written with a newline. With `O_APPEND` the descriptor's offset is the end of this
/// process's own bytes, whatever was appended after them. The byte is written through a
/// second descriptor (a positioned write on the first would append), used only if `path`
/// still names the same regular file and that file still reaches the offset.
fn end_line(path: &Path, file: &mut File) -> Result<(), NotEnded> {
    let end = file.stream_position()?;
    let last = end
        .checked_sub(1)
        .ok_or(io::Error::from(io::ErrorKind::InvalidData))?;
    let again = sys::open_file(path, OpenFor::Write)?;
    let (ours, theirs) = (file.metadata()?, again.metadata()?);
    let same = ours.dev() == theirs.dev() && ours.ino() == theirs.ino();
    if !same || !theirs.is_file() || theirs.len() < end {
        return Err(NotEnded::Replaced);
    }
    match again.write_at(b"\n", last)? {
        1 => Ok(()),
        _ => Err(io::Error::from(io::ErrorKind::WriteZero).into()),
    }
}

/// Writes `record` to standard output in one call (`--file -`).
pub fn write_stdout(record: &[u8]) -> Result<(), FileError> {
    write_once(&mut sys::stdout(), record)
}

/// One `write` call, never a loop: a loop could interleave the rest of a record with another
/// process's record. A short write is reported, not completed.
fn write_once(out: &mut dyn Write, record: &[u8]) -> Result<(), FileError> {
    let written = loop {
        match out.write(record) {
            // A signal before anything was written: nothing to interleave, so try again.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                return Err(FileError {
                    kind: FileErrorKind::Write(error),
                })
            }
            Ok(written) => break written,
        }
    };
    if written != record.len() {
        return Err(FileError {
            kind: FileErrorKind::Short {
                written,
                len: record.len(),
                ended: None,
            },
        });
    }
    // Nothing to flush: neither a file nor `sys::stdout()` buffers.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::OpenOptions;

    #[test]
    fn short_writes_say_what_became_of_the_line() {
        let short = |ended| FileError {
            kind: FileErrorKind::Short {
                written: 4,
                len: 10,
                ended,
            },
        };
        let cut = "short write: 4 of 10 bytes written (disk full?)";
        let cases = [
            (short(None), cut.to_owned()),
            (
                short(Some(Ok(()))),
                format!("{cut}; the cut line was ended with a newline"),
            ),
            (
                short(Some(Err(NotEnded::Replaced))),
                format!(
                    "{cut}; the cut line could not be ended: the file was replaced or truncated"
                ),
            ),
            (
                short(Some(Err(NotEnded::Failed(io::Error::from_raw_os_error(
                    28,
                ))))),
                format!(
                    "{cut}; the cut line could not be ended: {}",
                    io::Error::from_raw_os_error(28)
                ),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(String::from_utf8(error.message()).unwrap(), expected);
        }
    }

    /// A writer that accepts at most `limit` bytes per call and records every call.
    struct Recorder {
        limit: usize,
        calls: Vec<usize>,
        fail: Option<io::ErrorKind>,
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if let Some(kind) = self.fail.take() {
                return Err(io::Error::from(kind));
            }
            let n = buf.len().min(self.limit);
            self.calls.push(n);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// What happens between a short write and the repair of its line.
    #[derive(Debug, Clone, Copy)]
    enum Meanwhile {
        Nothing,
        /// Another process appends these bytes after the fragment.
        Appended(&'static [u8]),
        /// Log rotation renames the file and a new one is created.
        Rotated,
        Truncated,
    }

    #[test]
    fn a_cut_record_gets_its_line_ended_with_its_own_last_byte() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use Meanwhile::*;
        // (before, fragment, meanwhile, ended, file afterwards, rotated file afterwards)
        type Case = (
            &'static [u8],
            &'static [u8],
            Meanwhile,
            bool,
            &'static [u8],
            Option<&'static [u8]>,
        );
        let cases: &[Case] = &[
            (b"A\n", b"User 'al", Nothing, true, b"A\nUser 'a\n", None),
            (b"", b"U", Nothing, true, b"\n", None),
            (
                b"A\n",
                b"User 'al",
                Appended(b"B\n"),
                true,
                b"A\nUser 'a\nB\n",
                None,
            ),
            (b"A\n", b"Us", Rotated, false, b"", Some(b"A\nUs")),
            (b"A\n", b"Us", Truncated, false, b"", None),
        ];
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        for &(before, fragment, meanwhile, ended, after, rotated) in cases {
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let path = std::env::temp_dir()
                .join(format!("vpn-log-unit-file-{}-{n}.log", std::process::id()));
            let old = path.with_extension("log.1");
            std::fs::write(&path, before).unwrap();
            let mut file = OpenOptions::new().append(true).open(&path).unwrap();
            // The part of a record a full disk let through.
            file.write_all(fragment).unwrap();
            match meanwhile {
                Nothing => {}
                Appended(bytes) => {
                    let mut other = OpenOptions::new().append(true).open(&path).unwrap();
                    other.write_all(bytes).unwrap();
                }
                Rotated => {
                    std::fs::rename(&path, &old).unwrap();
                    std::fs::write(&path, b"").unwrap();
                }
                Truncated => std::fs::write(&path, b"").unwrap(),
            }
            let result = end_line(&path, &mut file);
            assert_eq!(result.is_ok(), ended, "{meanwhile:?}: {result:?}");
            assert_eq!(std::fs::read(&path).unwrap(), after, "{meanwhile:?}");
            assert_eq!(
                std::fs::read(&old).ok().as_deref(),
                rotated,
                "{meanwhile:?}"
            );
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_file(&old);
        }
    }

    #[test]
    fn writes_a_record_in_exactly_one_call_or_reports() {
        type Case = (
            usize,
            Option<io::ErrorKind>,
            &'static [usize],
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            (1000, None, &[10], None),
            (
                4,
                None,
                &[4],
                Some("short write: 4 of 10 bytes written (disk full?)"),
            ),
            (1000, Some(io::ErrorKind::Interrupted), &[10], None),
            (
                1000,
                Some(io::ErrorKind::StorageFull),
                &[],
                Some("cannot write: "),
            ),
        ];
        for &(limit, fail, calls, error) in cases {
            let mut out = Recorder {
                limit,
                calls: Vec::new(),
                fail,
            };
            let result = write_once(&mut out, b"0123456789");
            assert_eq!(out.calls, calls);
            match (result, error) {
                (Ok(()), None) => {}
                (Err(e), Some(prefix)) => assert!(e.to_string().starts_with(prefix), "{e}"),
                (result, _) => panic!("unexpected {result:?} for limit {limit}"),
            }
        }
    }
}
