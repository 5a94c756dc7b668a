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
//! Missing directories are not created: a typo in `--file` should be reported, not turned into
//! a surprise directory tree by a process running as `nobody`.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::flags::O_NONBLOCK;

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
    /// The kernel took only part of the record (a full disk or a quota, usually).
    Short {
        written: usize,
        len: usize,
    },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FileErrorKind::Open(error) => write!(f, "cannot open for appending: {error}"),
            FileErrorKind::Write(error) => write!(f, "cannot write: {error}"),
            FileErrorKind::Short { written, len } => {
                write!(
                    f,
                    "short write: {written} of {len} bytes written (disk full?)"
                )
            }
        }
    }
}

/// Appends `record` to the file at `path` in a single `write(2)`, creating the file (mode
/// [`NEW_FILE_MODE`]) if needed.
pub fn append(path: &Path, record: &[u8]) -> Result<(), FileError> {
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(NEW_FILE_MODE)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .map_err(|error| FileError {
            kind: FileErrorKind::Open(error),
        })?;
    write_once(&mut file, record)
}

/// Writes `record` to standard output in one call (`--file -`).
pub fn write_stdout(record: &[u8]) -> Result<(), FileError> {
    write_once(&mut io::stdout().lock(), record)
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
            },
        });
    }
    // Standard output is buffered by std; regular files are not.
    out.flush().map_err(|error| FileError {
        kind: FileErrorKind::Write(error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
