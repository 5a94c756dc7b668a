//! TZif files, versions 1 to 4 (RFC 8536, RFC 9636): parsing and lookup.
//!
//! A TZif file is a header, a data block with 32-bit times, and, from version 2 on, a second
//! header, a data block with 64-bit times and a footer holding a POSIX `TZ` rule for the times
//! after the last transition. Version 1 files are read from their only block; later versions
//! from the 64-bit block (the 32-bit one is skipped, it ends in 2038).
//!
//! Nothing read from the file is trusted: every length derived from the header's counts is
//! computed in `u64` with checked arithmetic and compared with the bytes actually there before
//! anything is allocated or sliced, so a lying count is a "truncated" error, never an overflow
//! (also on 32-bit targets, where `usize` is 32 bits) or an allocation the size of the count.
//! The values are validated as RFC 9636 section 3.2 requires, so a damaged file is refused
//! rather than half used.
//!
//! Lookup follows glibc's `__tzfile_compute`, which is what `date(1)` prints: before the first
//! transition, the first standard-time type (type 0 if all are DST); from the last transition
//! on, the footer rule if there is one; leap-second corrections (the `right/` zones) are
//! applied, and an inserted leap second shows as second 60.

use super::posix::{PosixError, PosixTz};
use super::MAX_OFFSET;

/// A parsed TZif file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tzif {
    /// Transition instants, strictly ascending.
    transitions: Vec<i64>,
    /// For each transition, the index in `types` of the local time type it starts.
    transition_types: Vec<u8>,
    /// At least one.
    types: Vec<LocalType>,
    /// Strictly ascending by occurrence.
    leaps: Vec<Leap>,
    footer: Option<PosixTz>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocalType {
    /// Seconds east of UTC.
    offset: i32,
    is_dst: bool,
    /// The abbreviation is `-00`: local time is unknown (RFC 9636 section 3.2, RFC 3339
    /// section 4.3).
    unknown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Leap {
    occurrence: i64,
    /// Total leap seconds inserted (positive) or removed up to and including this one.
    correction: i32,
}

/// Why a TZif file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TzifError {
    kind: ErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    Magic,
    Version,
    Header,
    Block,
    Header2,
    Block2,
    Footer,
    FooterRule(PosixError),
    Counts,
    TypeIndex,
    Offset,
    DstFlag,
    Abbreviation,
    TransitionOrder,
    LeapOrder,
    LeapCorrection,
}

impl TzifError {
    /// The message, without `core::fmt` (whose machinery costs the binaries some 13 KB).
    pub fn message(&self) -> Vec<u8> {
        let text = match self.kind {
            ErrorKind::Magic => "not a TZif file",
            ErrorKind::Version => "unknown TZif version",
            ErrorKind::Header => "truncated TZif header",
            ErrorKind::Block => "truncated TZif data block",
            ErrorKind::Header2 => "truncated TZif v2+ header",
            ErrorKind::Block2 => "truncated TZif v2+ data block",
            ErrorKind::Footer => "truncated or malformed TZif footer",
            ErrorKind::FooterRule(e) => {
                return [b"bad TZif footer rule: ", e.text().as_bytes()].concat()
            }
            ErrorKind::Counts => "inconsistent TZif header counts",
            ErrorKind::TypeIndex => "TZif transition type index out of range",
            ErrorKind::Offset => "TZif UT offset of 24 hours or more",
            ErrorKind::DstFlag => "TZif DST flag neither 0 nor 1",
            ErrorKind::Abbreviation => "TZif abbreviation index out of range",
            ErrorKind::TransitionOrder => "TZif transitions not in ascending order",
            ErrorKind::LeapOrder => "TZif leap seconds not in ascending order",
            ErrorKind::LeapCorrection => "TZif leap second correction of 24 hours or more",
        };
        text.as_bytes().to_vec()
    }
}

impl std::fmt::Display for TzifError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

impl std::error::Error for TzifError {}

fn error(kind: ErrorKind) -> TzifError {
    TzifError { kind }
}

/// The six counts of a header (RFC 9636 section 3.1), in file order.
#[derive(Debug, Clone, Copy)]
struct Header {
    version: u8,
    isutcnt: u32,
    isstdcnt: u32,
    leapcnt: u32,
    timecnt: u32,
    typecnt: u32,
    charcnt: u32,
}

/// How wide times are in a data block: 4 bytes in version 1's, 8 in the v2+ one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Width {
    Four,
    Eight,
}

impl Width {
    fn bytes(self) -> u64 {
        match self {
            Width::Four => 4,
            Width::Eight => 8,
        }
    }
}

impl Header {
    /// RFC 9636 section 3.1: at least one local time type (and at most 256, since transitions
    /// index them with one byte), and indicators for all types or none.
    fn check_counts(self) -> Result<Header, TzifError> {
        let typecnt = self.typecnt;
        let ok = (1..=256).contains(&typecnt)
            && (self.isstdcnt == 0 || self.isstdcnt == typecnt)
            && (self.isutcnt == 0 || self.isutcnt == typecnt);
        if ok {
            Ok(self)
        } else {
            Err(error(ErrorKind::Counts))
        }
    }

    /// The data block's length: RFC 9636 section 3.2's sum, checked.
    fn block_len(&self, width: Width) -> Option<u64> {
        let time = width.bytes();
        let counts = [
            (self.timecnt, time),
            (self.timecnt, 1),
            (self.typecnt, 6),
            (self.charcnt, 1),
            (self.leapcnt, time.checked_add(4)?),
            (self.isstdcnt, 1),
            (self.isutcnt, 1),
        ];
        counts.iter().try_fold(0u64, |sum, &(count, size)| {
            sum.checked_add(u64::from(count).checked_mul(size)?)
        })
    }
}

/// A cursor over the file: `take` hands out the next bytes or fails with the error naming the
/// part that was short; nothing else reads the bytes.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, len: u64, short: ErrorKind) -> Result<&'a [u8], TzifError> {
        let len = usize::try_from(len).map_err(|_| error(short))?;
        if len > self.rest.len() {
            return Err(error(short));
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    fn u32(&mut self, short: ErrorKind) -> Result<u32, TzifError> {
        let bytes = self.take(4, short)?;
        let array: [u8; 4] = bytes.try_into().map_err(|_| error(short))?;
        Ok(u32::from_be_bytes(array))
    }

    fn i32(&mut self, short: ErrorKind) -> Result<i32, TzifError> {
        self.u32(short).map(|v| v as i32)
    }

    fn i64(&mut self, short: ErrorKind) -> Result<i64, TzifError> {
        let bytes = self.take(8, short)?;
        let array: [u8; 8] = bytes.try_into().map_err(|_| error(short))?;
        Ok(i64::from_be_bytes(array))
    }

    fn time(&mut self, width: Width, short: ErrorKind) -> Result<i64, TzifError> {
        match width {
            Width::Four => self.i32(short).map(i64::from),
            Width::Eight => self.i64(short),
        }
    }

    fn u8(&mut self, short: ErrorKind) -> Result<u8, TzifError> {
        let bytes = self.take(1, short)?;
        bytes.first().copied().ok_or(error(short))
    }

    /// A header; the cursor ends at the data block.
    fn header(&mut self, short: ErrorKind) -> Result<Header, TzifError> {
        if self.take(4, short)? != b"TZif" {
            return Err(error(ErrorKind::Magic));
        }
        let version = self.u8(short)?;
        // Version 1 is NUL; later ones are ASCII digits. Versions after 4 are read like 4:
        // RFC 9636 section 3.1 keeps the layout for readers of older versions.
        if version != 0 && version < b'2' {
            return Err(error(ErrorKind::Version));
        }
        self.take(15, short)?;
        Ok(Header {
            version,
            isutcnt: self.u32(short)?,
            isstdcnt: self.u32(short)?,
            leapcnt: self.u32(short)?,
            timecnt: self.u32(short)?,
            typecnt: self.u32(short)?,
            charcnt: self.u32(short)?,
        })
    }
}

impl Tzif {
    /// Parses a whole TZif file.
    pub fn parse(bytes: &[u8]) -> Result<Tzif, TzifError> {
        let mut cursor = Cursor { rest: bytes };
        let first = cursor.header(ErrorKind::Header)?;
        let len = first
            .block_len(Width::Four)
            .ok_or(error(ErrorKind::Block))?;
        let block = cursor.take(len, ErrorKind::Block)?;
        if first.version == 0 {
            first.check_counts()?;
            return Tzif::from_block(&first, block, Width::Four, ErrorKind::Block, None);
        }
        let second = cursor.header(ErrorKind::Header2)?.check_counts()?;
        let len = second
            .block_len(Width::Eight)
            .ok_or(error(ErrorKind::Block2))?;
        let block = cursor.take(len, ErrorKind::Block2)?;
        let footer = footer(cursor.rest)?;
        Tzif::from_block(&second, block, Width::Eight, ErrorKind::Block2, footer)
    }

    /// Builds the zone from one data block of exactly the length `header` gives.
    fn from_block(
        header: &Header,
        block: &[u8],
        width: Width,
        short: ErrorKind,
        footer: Option<PosixTz>,
    ) -> Result<Tzif, TzifError> {
        let typecnt = header.typecnt;
        let mut cursor = Cursor { rest: block };
        // The counts were checked against the block's length, so these allocations are
        // bounded by the file's size.
        // One slice for all transition times, decoded in a tight loop: a zone has a hundred
        // or more, and this is most of a hook run's work on the zone.
        let times = cursor.take(u64::from(header.timecnt) * width.bytes(), short)?;
        let transitions: Vec<i64> = match width {
            Width::Four => times
                .chunks_exact(4)
                .map(|time| time.try_into().map_or(0, i32::from_be_bytes).into())
                .collect(),
            Width::Eight => times
                .chunks_exact(8)
                .map(|time| time.try_into().map_or(0, i64::from_be_bytes))
                .collect(),
        };
        if !transitions.is_sorted_by(|earlier, later| earlier < later) {
            return Err(error(ErrorKind::TransitionOrder));
        }
        let transition_types = cursor.take(u64::from(header.timecnt), short)?.to_vec();
        if transition_types.iter().any(|&i| u32::from(i) >= typecnt) {
            return Err(error(ErrorKind::TypeIndex));
        }
        let mut types = Vec::with_capacity(typecnt as usize);
        for _ in 0..typecnt {
            let offset = cursor.i32(short)?;
            let is_dst = cursor.u8(short)?;
            let abbreviation = cursor.u8(short)?;
            // RFC 9636 section 3.2 refuses only -2^31 and asks for -25:59:59 to 25:59:59; the
            // records need less than 24 hours either way (see `MAX_OFFSET`).
            if offset.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
                return Err(error(ErrorKind::Offset));
            }
            if is_dst > 1 {
                return Err(error(ErrorKind::DstFlag));
            }
            if u32::from(abbreviation) >= header.charcnt {
                return Err(error(ErrorKind::Abbreviation));
            }
            types.push((
                LocalType {
                    offset,
                    is_dst: is_dst == 1,
                    unknown: false,
                },
                abbreviation,
            ));
        }
        let chars = cursor.take(u64::from(header.charcnt), short)?;
        let types = types
            .into_iter()
            .map(|(local_type, abbreviation)| {
                let name = chars
                    .get(usize::from(abbreviation)..)
                    .and_then(|rest| rest.split(|&b| b == 0).next());
                LocalType {
                    unknown: name == Some(b"-00"),
                    ..local_type
                }
            })
            .collect();
        let leapcnt = usize::try_from(header.leapcnt).map_err(|_| error(short))?;
        let mut leaps: Vec<Leap> = Vec::with_capacity(leapcnt);
        for _ in 0..leapcnt {
            let occurrence = cursor.time(width, short)?;
            let correction = cursor.i32(short)?;
            if leaps.last().is_some_and(|l| l.occurrence >= occurrence) {
                return Err(error(ErrorKind::LeapOrder));
            }
            // Real tables reach 27 s; a day or more would move local dates out of the four-digit
            // years (see `MAX_OFFSET`).
            if correction.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
                return Err(error(ErrorKind::LeapCorrection));
            }
            leaps.push(Leap {
                occurrence,
                correction,
            });
        }
        // The standard/wall and UT/local indicators only matter for POSIX rules without
        // dates (glibc's `posixrules`), which this code does not take from files.
        Ok(Tzif {
            transitions,
            transition_types,
            types,
            leaps,
            footer,
        })
    }

    /// Seconds east of UTC in effect at `unix`.
    pub fn offset_at(&self, unix: i64) -> i32 {
        self.lookup(unix).0
    }

    /// The offset at `unix`, and whether local time is unknown there (abbreviation `-00`).
    pub fn lookup(&self, unix: i64) -> (i32, bool) {
        let (Some(&first), Some(&last)) = (self.transitions.first(), self.transitions.last())
        else {
            let t = self.type_before_first();
            return (t.offset, t.unknown);
        };
        if unix < first {
            let t = self.type_before_first();
            return (t.offset, t.unknown);
        }
        if unix >= last {
            if let Some(footer) = &self.footer {
                return footer.lookup(unix);
            }
        }
        // The last transition at or before `unix`; there is one, since `unix >= first`.
        let index = self.transitions.partition_point(|&t| t <= unix);
        let type_index = index
            .checked_sub(1)
            .and_then(|i| self.transition_types.get(i))
            .copied()
            .unwrap_or(0);
        self.types
            .get(usize::from(type_index))
            .map_or((0, false), |t| (t.offset, t.unknown))
    }

    /// glibc's choice before the first transition (and without transitions): the first type
    /// that is not DST, else type 0. RFC 9636 says type 0; tzdata's files make both agree.
    fn type_before_first(&self) -> LocalType {
        let fallback = LocalType {
            offset: 0,
            is_dst: false,
            unknown: false,
        };
        self.types
            .iter()
            .find(|t| !t.is_dst)
            .or(self.types.first())
            .copied()
            .unwrap_or(fallback)
    }

    /// The leap-second correction at `unix` (seconds to subtract) and how many leap seconds
    /// are being inserted at exactly this instant (shown as second 60), as glibc computes them.
    pub fn leap_correction(&self, unix: i64) -> (i32, u8) {
        let count = self.leaps.partition_point(|l| l.occurrence <= unix);
        let Some(mut i) = count.checked_sub(1) else {
            return (0, 0);
        };
        let Some(leap) = self.leaps.get(i) else {
            return (0, 0);
        };
        let previous = |i: usize| i.checked_sub(1).and_then(|p| self.leaps.get(p));
        let inserted = match previous(i) {
            None => leap.correction > 0,
            Some(p) => leap.correction > p.correction,
        };
        let mut hit = 0u8;
        if unix == leap.occurrence && inserted {
            hit = 1;
            // Consecutive insertions one second apart all show as 60 (glibc's loop).
            while let (Some(now), Some(before)) = (self.leaps.get(i), previous(i)) {
                let consecutive = now.occurrence == before.occurrence.saturating_add(1)
                    && now.correction == before.correction.saturating_add(1);
                if !consecutive {
                    break;
                }
                hit = hit.saturating_add(1);
                i -= 1;
            }
        }
        (leap.correction, hit)
    }

    /// The transition instants, ascending (for tests that probe next to each one).
    pub fn transitions(&self) -> &[i64] {
        &self.transitions
    }

    /// The instants of the leap seconds, ascending (for tests, like [`Tzif::transitions`]).
    pub fn leap_seconds(&self) -> impl Iterator<Item = i64> + '_ {
        self.leaps.iter().map(|l| l.occurrence)
    }

    /// The footer rule, if the file has a non-empty one.
    pub fn footer(&self) -> Option<&PosixTz> {
        self.footer.as_ref()
    }
}

/// The v2+ footer: a newline, a POSIX `TZ` rule (possibly empty), a newline. Bytes after it
/// are ignored, as RFC 9636 section 3.3 lets readers do.
fn footer(rest: &[u8]) -> Result<Option<PosixTz>, TzifError> {
    let Some((b'\n', after)) = rest.split_first() else {
        return Err(error(ErrorKind::Footer));
    };
    let end = after
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(error(ErrorKind::Footer))?;
    let rule = after.get(..end).ok_or(error(ErrorKind::Footer))?;
    if rule.is_empty() {
        return Ok(None);
    }
    PosixTz::parse(rule)
        .map(Some)
        .map_err(|e| error(ErrorKind::FooterRule(e)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A hand-built zone: transitions (time, type), types (offset, is_dst), leap seconds
    /// (occurrence, correction), and a footer for v2+.
    pub(crate) struct Build<'a> {
        pub version: u8,
        pub transitions: &'a [(i64, u8)],
        pub types: &'a [(i32, bool)],
        pub leaps: &'a [(i64, i32)],
        pub footer: &'a str,
    }

    fn block(out: &mut Vec<u8>, z: &Build, width: Width) {
        let n = |len: usize| (len as u32).to_be_bytes();
        out.extend_from_slice(b"TZif");
        out.push(z.version);
        out.extend_from_slice(&[0; 15]);
        out.extend_from_slice(&n(z.types.len())); // isutcnt
        out.extend_from_slice(&n(z.types.len())); // isstdcnt
        out.extend_from_slice(&n(z.leaps.len()));
        out.extend_from_slice(&n(z.transitions.len()));
        out.extend_from_slice(&n(z.types.len()));
        out.extend_from_slice(&n(4)); // charcnt: "ABC\0"
        let time = |out: &mut Vec<u8>, t: i64| match width {
            Width::Four => out.extend_from_slice(&(t as i32).to_be_bytes()),
            Width::Eight => out.extend_from_slice(&t.to_be_bytes()),
        };
        for &(t, _) in z.transitions {
            time(out, t);
        }
        for &(_, i) in z.transitions {
            out.push(i);
        }
        for &(offset, dst) in z.types {
            out.extend_from_slice(&offset.to_be_bytes());
            out.push(u8::from(dst));
            out.push(0);
        }
        out.extend_from_slice(b"ABC\0");
        for &(t, c) in z.leaps {
            time(out, t);
            out.extend_from_slice(&c.to_be_bytes());
        }
        out.resize(out.len() + 2 * z.types.len(), 0);
    }

    pub(crate) fn build(z: &Build) -> Vec<u8> {
        let mut out = Vec::new();
        block(&mut out, z, Width::Four);
        if z.version != 0 {
            block(&mut out, z, Width::Eight);
            out.push(b'\n');
            out.extend_from_slice(z.footer.as_bytes());
            out.push(b'\n');
        }
        out
    }

    const H: i32 = 3600;

    /// A Europe/Berlin-like zone: CET, CEST from 2020-03-29T01:00Z, CET from
    /// 2020-10-25T01:00Z.
    const BERLIN_TRANSITIONS: &[(i64, u8)] = &[(1_585_443_600, 1), (1_603_587_600, 0)];
    const BERLIN_TYPES: &[(i32, bool)] = &[(H, false), (2 * H, true)];

    fn berlin(version: u8, footer: &'static str) -> Vec<u8> {
        build(&Build {
            version,
            transitions: BERLIN_TRANSITIONS,
            types: BERLIN_TYPES,
            leaps: &[],
            footer,
        })
    }

    /// Parses `bytes` and checks the offset at each `(instant, offset)` pair.
    fn check(bytes: &[u8], cases: &[(i64, i32)]) {
        let tz = Tzif::parse(bytes).unwrap_or_else(|e| panic!("{e}"));
        for &(unix, expected) in cases {
            assert_eq!(tz.offset_at(unix), expected, "@{unix}");
        }
    }

    fn check_error(bytes: &[u8], expected: &str) {
        match Tzif::parse(bytes) {
            Ok(tz) => panic!("accepted: {tz:?}"),
            Err(e) => assert_eq!(e.to_string(), expected),
        }
    }

    #[test]
    fn version_1_uses_the_last_type_after_the_last_transition() {
        check(
            &berlin(0, ""),
            &[
                (1_585_443_599, H),
                (1_585_443_600, 2 * H),
                (1_603_587_599, 2 * H),
                (1_603_587_600, H),
                (1_700_000_000, H),
            ],
        );
    }

    #[test]
    fn versions_2_to_4_apply_the_footer_after_the_last_transition() {
        for version in [b'2', b'3', b'4', b'5'] {
            let bytes = berlin(version, "CET-1CEST,M3.5.0,M10.5.0/3");
            check(
                &bytes,
                &[
                    (1_603_587_599, 2 * H),
                    (1_603_587_600, H),
                    // 2023-07-01: the footer says CEST; the last type would say CET.
                    (1_688_169_600, 2 * H),
                ],
            );
        }
    }

    #[test]
    fn an_empty_footer_keeps_the_last_type() {
        check(&berlin(b'2', ""), &[(1_688_169_600, H)]);
    }

    #[test]
    fn v2_uses_64_bit_times() {
        // A transition before 1901 and one after 2038 do not fit the 32-bit block.
        let bytes = build(&Build {
            version: b'2',
            transitions: &[(-3_000_000_000, 1), (3_000_000_000, 0)],
            types: &[(0, false), (H, false)],
            leaps: &[],
            footer: "",
        });
        check(
            &bytes,
            &[
                (-3_000_000_001, 0),
                (-3_000_000_000, H),
                (2_999_999_999, H),
                (3_000_000_000, 0),
            ],
        );
    }

    #[test]
    fn before_the_first_transition_uses_the_first_standard_type() {
        // Type 0 is DST: glibc skips it for instants before the first transition.
        let bytes = build(&Build {
            version: b'2',
            transitions: &[(0, 0)],
            types: &[(2 * H, true), (H, false)],
            leaps: &[],
            footer: "",
        });
        check(&bytes, &[(-1, H), (0, 2 * H)]);
        // No transitions at all: the same type, and the footer is not consulted.
        let bytes = build(&Build {
            version: b'2',
            transitions: &[],
            types: &[(-5 * H, false)],
            leaps: &[],
            footer: "EST5",
        });
        check(
            &bytes,
            &[(i64::MIN, -5 * H), (0, -5 * H), (i64::MAX, -5 * H)],
        );
    }

    #[test]
    fn the_abbreviation_minus_00_marks_an_unknown_offset() {
        // Types 0 and 1 both use abbreviation index 0; renaming it to "-00" marks both.
        let mut bytes = berlin(b'2', "");
        // The file ends with "ABC\0", two indicator arrays of two bytes and the footer "\n\n".
        let at = bytes.len() - 2 - 2 - 2 - 4;
        bytes.splice(at..at + 4, *b"-00\0");
        let tz = Tzif::parse(&bytes).unwrap();
        assert_eq!(tz.lookup(0), (H, true));
        assert_eq!(berlin_lookup(0), (H, false));
    }

    fn berlin_lookup(unix: i64) -> (i32, bool) {
        Tzif::parse(&berlin(b'2', "")).unwrap().lookup(unix)
    }

    #[test]
    fn leap_seconds_are_subtracted_and_show_as_second_60() {
        let bytes = build(&Build {
            version: b'4',
            transitions: &[],
            types: &[(0, false)],
            leaps: &[(78_796_800, 1), (94_694_401, 2), (94_694_402, 3)],
            footer: "",
        });
        let tz = Tzif::parse(&bytes).unwrap();
        let cases = [
            (0, (0, 0)),
            (78_796_799, (0, 0)),
            (78_796_800, (1, 1)),
            (78_796_801, (1, 0)),
            (94_694_401, (2, 1)),
            (94_694_402, (3, 2)),
        ];
        for (unix, expected) in cases {
            assert_eq!(tz.leap_correction(unix), expected, "@{unix}");
        }
    }

    #[test]
    fn refuses_damaged_files() {
        let good = berlin(b'2', "CET-1CEST,M3.5.0,M10.5.0/3");
        let with = |at: usize, bytes: &[u8]| {
            let mut copy = good.clone();
            copy.splice(at..at + bytes.len(), bytes.iter().copied());
            copy
        };
        // Offsets in a v1 block of this zone: header 44, times 8, indices 2, types 12.
        let v1_len = 44 + 8 + 2 + 12 + 4 + 4;
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"TZjf".to_vec(), "not a TZif file"),
            (b"TZ".to_vec(), "truncated TZif header"),
            (with(4, b"1"), "unknown TZif version"),
            (good[..30].to_vec(), "truncated TZif header"),
            (good[..60].to_vec(), "truncated TZif data block"),
            (good[..v1_len + 10].to_vec(), "truncated TZif v2+ header"),
            (
                good[..v1_len + 60].to_vec(),
                "truncated TZif v2+ data block",
            ),
            (
                good[..good.len() - 1].to_vec(),
                "truncated or malformed TZif footer",
            ),
            (
                with(good.len() - 28, b"X"),
                "truncated or malformed TZif footer",
            ),
            (
                with(good.len() - 2, b"?"),
                "bad TZif footer rule: bad transition time",
            ),
            // Lying counts: 2^24 and 2^32-1 transitions, far more than there are bytes.
            (
                with(v1_len + 32, &[0, 1, 0, 0]),
                "truncated TZif v2+ data block",
            ),
            (
                with(v1_len + 32, &[255; 4]),
                "truncated TZif v2+ data block",
            ),
            (with(32, &[255; 4]), "truncated TZif data block"),
            (
                with(v1_len + 36, &[0; 4]),
                "inconsistent TZif header counts",
            ),
            (
                with(v1_len + 24, &[0, 0, 0, 1]),
                "inconsistent TZif header counts",
            ),
            (
                with(v1_len + 44 + 17, &[2]),
                "TZif transition type index out of range",
            ),
            (
                with(v1_len + 44 + 18, &[0x80, 0, 0, 0]),
                "TZif UT offset of 24 hours or more",
            ),
            (
                with(v1_len + 44 + 22, &[2]),
                "TZif DST flag neither 0 nor 1",
            ),
            (
                with(v1_len + 44 + 23, &[4]),
                "TZif abbreviation index out of range",
            ),
            (
                with(v1_len + 44, &[0x7f]),
                "TZif transitions not in ascending order",
            ),
        ];
        for (bytes, expected) in cases {
            check_error(&bytes, expected);
        }
        let leaps = build(&Build {
            version: b'2',
            transitions: &[],
            types: &[(0, false)],
            leaps: &[(100, 1), (100, 2)],
            footer: "",
        });
        check_error(&leaps, "TZif leap seconds not in ascending order");
    }

    /// Offsets and leap-second corrections must stay under 24 hours either way: RFC 3339 has
    /// no offset beyond 23:59, and with [`crate::time::MAX_UNIX`] local dates keep four digits.
    #[test]
    fn offsets_and_corrections_stay_under_a_day() {
        let zone = |offset: i32, correction: i32, footer: &str| {
            build(&Build {
                version: b'2',
                transitions: &[],
                types: &[(offset, false)],
                leaps: &[(100, correction)],
                footer,
            })
        };
        let cases: &[(i32, i32, &str, Result<i32, &str>)] = &[
            (0, 1, "", Ok(0)),
            (86_399, 1, "", Ok(86_399)),
            (-86_399, 1, "", Ok(-86_399)),
            (0, 86_399, "", Ok(0)),
            (0, -86_399, "", Ok(0)),
            (86_400, 1, "", Err("TZif UT offset of 24 hours or more")),
            (-86_400, 1, "", Err("TZif UT offset of 24 hours or more")),
            // What `date +%:z` shows as -596523:14.
            (
                -2_147_483_647,
                1,
                "",
                Err("TZif UT offset of 24 hours or more"),
            ),
            (i32::MIN, 1, "", Err("TZif UT offset of 24 hours or more")),
            (
                0,
                86_400,
                "",
                Err("TZif leap second correction of 24 hours or more"),
            ),
            (
                0,
                i32::MIN,
                "",
                Err("TZif leap second correction of 24 hours or more"),
            ),
            (
                0,
                1,
                "XXX-24",
                Err("bad TZif footer rule: offset of 24 hours or more"),
            ),
        ];
        for &(offset, correction, footer, expected) in cases {
            let got = Tzif::parse(&zone(offset, correction, footer))
                .map(|tzif| tzif.offset_at(0))
                .map_err(|e| e.to_string());
            assert_eq!(
                got,
                expected.map_err(str::to_owned),
                "{offset} {correction}"
            );
        }
    }

    #[test]
    fn every_prefix_of_a_v2_file_is_refused() {
        let good = berlin(b'3', "CET-1CEST,M3.5.0,M10.5.0/3");
        assert!(Tzif::parse(&good).is_ok());
        for len in 0..good.len() {
            assert!(Tzif::parse(&good[..len]).is_err(), "prefix of {len} bytes");
        }
    }
}
