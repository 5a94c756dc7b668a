//! POSIX `TZ` rule strings (`CET-1CEST,M3.5.0,M10.5.0/3`): grammar and evaluation.
//!
//! The grammar is POSIX.1-2017, 8.3 "Other Environment Variables", `TZ`, with the extensions
//! RFC 9636 section 3.3.1 allows in TZif footers: transition times with a sign and up to 167
//! hours. Offsets in the string count hours *west* of UTC (`EST5`); everything this module
//! returns counts seconds *east*, as TZif does.
//!
//! Evaluation follows glibc's `__tz_compute`, because the records must agree with `date(1)`:
//! the two transitions are computed for the UTC calendar year of the instant, and daylight
//! saving time is in effect between them (or outside them when the start comes later in the
//! year than the end, as in the southern hemisphere). A consequence worth knowing: with
//! "permanent" DST (`EST5EDT4,0/0,J365/25`) the first hours of each UTC year fall before that
//! year's start and show standard time; glibc prints exactly that, so this code does too.

use super::civil::{civil_from_days, days_from_civil};
use super::MAX_OFFSET;

const SECONDS_PER_DAY: i64 = 86_400;

/// A parsed POSIX `TZ` rule: a standard offset and, optionally, daylight saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosixTz {
    /// Seconds east of UTC in standard time.
    std_offset: i32,
    /// The standard time name is `-00`: the offset is unknown (RFC 3339 section 4.3).
    std_unknown: bool,
    dst: Option<Dst>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dst {
    /// Seconds east of UTC in daylight saving time.
    offset: i32,
    /// The DST name is `-00`.
    unknown: bool,
    /// When DST starts, in standard time.
    start: Change,
    /// When DST ends, in daylight saving time.
    end: Change,
}

/// One transition of the yearly rule: a day of the year and a local time of that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    date: DateRule,
    /// Seconds after local midnight, -167 h to 167 h (RFC 9636 section 3.3.1).
    time: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateRule {
    /// `Jn`: day 1 to 365, February 29 never counted.
    Julian1(u16),
    /// `n`: day 0 to 365, February 29 counted in leap years.
    Julian0(u16),
    /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1 to 5, 5 = last) of month `m`.
    Weekday { month: u8, week: u8, weekday: u8 },
}

/// Why a rule string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosixError {
    kind: ErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    StdName,
    StdOffset,
    DstName,
    DstOffset,
    /// An offset of 24 hours or more (see [`MAX_OFFSET`]).
    OffsetRange,
    Comma,
    Date,
    Time,
    Trailing,
}

impl PosixError {
    /// The message, without `core::fmt` (whose machinery costs the binaries some 13 KB).
    pub fn text(&self) -> &'static str {
        match self.kind {
            ErrorKind::StdName => "missing or bad standard time name",
            ErrorKind::StdOffset => "missing or bad standard time offset",
            ErrorKind::DstName => "bad daylight saving time name",
            ErrorKind::DstOffset => "bad daylight saving time offset",
            ErrorKind::OffsetRange => "offset of 24 hours or more",
            ErrorKind::Comma => "expected ',' before a transition date",
            ErrorKind::Date => "bad transition date",
            ErrorKind::Time => "bad transition time",
            ErrorKind::Trailing => "unexpected characters after the rule",
        }
    }
}

impl std::fmt::Display for PosixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

impl std::error::Error for PosixError {}

fn error(kind: ErrorKind) -> PosixError {
    PosixError { kind }
}

/// When a rule names a DST zone but gives no dates (`EST5EDT`), POSIX leaves the dates to the
/// implementation. glibc then takes them from the `posixrules` file, which tzdata makes a copy
/// of America/New_York; since 2007 that is `M3.2.0,M11.1.0` at 02:00, used here for all years.
const DEFAULT_START: Change = Change {
    date: DateRule::Weekday {
        month: 3,
        week: 2,
        weekday: 0,
    },
    time: 2 * 3600,
};
const DEFAULT_END: Change = Change {
    date: DateRule::Weekday {
        month: 11,
        week: 1,
        weekday: 0,
    },
    time: 2 * 3600,
};

impl PosixTz {
    /// Parses a whole rule string; anything left over is an error.
    pub fn parse(text: &[u8]) -> Result<PosixTz, PosixError> {
        let mut p = Parser { text, pos: 0 };
        let std_unknown = p.name().ok_or(error(ErrorKind::StdName))? == b"-00";
        let std_offset = p.offset(24).ok_or(error(ErrorKind::StdOffset))?;
        // POSIX offsets count west; flip them once, here.
        let std_offset = -std_offset;
        if std_offset.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
            return Err(error(ErrorKind::OffsetRange));
        }
        if p.is_done() {
            return Ok(PosixTz {
                std_offset,
                std_unknown,
                dst: None,
            });
        }
        let unknown = p.name().ok_or(error(ErrorKind::DstName))? == b"-00";
        let offset = match p.byte() {
            Some(b'+' | b'-' | b'0'..=b'9') => -p.offset(24).ok_or(error(ErrorKind::DstOffset))?,
            // One hour ahead of standard time by default.
            _ => std_offset + 3600,
        };
        if offset.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
            return Err(error(ErrorKind::OffsetRange));
        }
        let (start, end) = if p.is_done() {
            (DEFAULT_START, DEFAULT_END)
        } else {
            let start = p.change()?;
            let end = p.change()?;
            (start, end)
        };
        if !p.is_done() {
            return Err(error(ErrorKind::Trailing));
        }
        Ok(PosixTz {
            std_offset,
            std_unknown,
            dst: Some(Dst {
                offset,
                unknown,
                start,
                end,
            }),
        })
    }

    /// Seconds east of UTC in effect at `unix`.
    pub fn offset_at(&self, unix: i64) -> i32 {
        self.lookup(unix).0
    }

    /// The offset at `unix`, and whether its name is `-00` ("local time unknown", which
    /// `date` prints as `-00:00` in RFC 3339 form).
    pub fn lookup(&self, unix: i64) -> (i32, bool) {
        let standard = (self.std_offset, self.std_unknown);
        let Some(dst) = &self.dst else {
            return standard;
        };
        let year = civil_from_days(unix.div_euclid(SECONDS_PER_DAY)).0;
        let (start, end) = dst.changes(year, self.std_offset);
        let in_dst = if start > end {
            unix < end || unix >= start
        } else {
            start <= unix && unix < end
        };
        if in_dst {
            (dst.offset, dst.unknown)
        } else {
            standard
        }
    }

    /// The instants (seconds since the epoch) at which DST starts and ends in `year`, or
    /// `None` without DST. Used by tests to probe next to every change.
    pub fn changes(&self, year: i64) -> Option<(i64, i64)> {
        self.dst.map(|dst| dst.changes(year, self.std_offset))
    }
}

impl Dst {
    fn changes(&self, year: i64, std_offset: i32) -> (i64, i64) {
        // The start is given in standard time, the end in daylight saving time.
        (
            self.start.instant(year, std_offset),
            self.end.instant(year, self.offset),
        )
    }
}

impl Change {
    /// The instant of this change in `year`, for a local time at `offset` seconds east.
    ///
    /// glibc's `compute_change` counts the days of years up to 1970 from 1970-01-01 (its
    /// running total starts there), while still laying out the months and weekdays of the
    /// real year: the changes of 1950 fall in early 1970. `date` shows the result (standard
    /// time before 1970 in the northern hemisphere, DST in the southern), so this does too.
    fn instant(&self, year: i64, offset: i32) -> i64 {
        let jan1 = days_from_civil(year, 1, 1);
        let counted_from = if year > 1970 { jan1 } else { 0 };
        (self.date.day(year) - jan1 + counted_from)
            .saturating_mul(SECONDS_PER_DAY)
            .saturating_add(i64::from(self.time))
            .saturating_sub(i64::from(offset))
    }
}

impl DateRule {
    /// The day (since 1970-01-01) this rule names in `year`.
    fn day(&self, year: i64) -> i64 {
        match *self {
            DateRule::Julian1(n) => {
                let n = i64::from(n);
                let leap_day = i64::from(n >= 60 && is_leap(year));
                days_from_civil(year, 1, 1) + n - 1 + leap_day
            }
            DateRule::Julian0(n) => days_from_civil(year, 1, 1) + i64::from(n),
            DateRule::Weekday {
                month,
                week,
                weekday,
            } => {
                let first = days_from_civil(year, month, 1);
                // 1970-01-01 was a Thursday (weekday 4).
                let first_weekday = (first + 4).rem_euclid(7);
                let mut day = (i64::from(weekday) - first_weekday).rem_euclid(7);
                let length = days_in_month(year, month);
                // Week 5 means the last such weekday: stop at the month's end.
                for _ in 1..week {
                    if day + 7 >= length {
                        break;
                    }
                    day += 7;
                }
                first + day
            }
        }
    }
}

fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn days_in_month(year: i64, month: u8) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A cursor over the rule string. Each method documents where it leaves the cursor; none
/// indexes: bytes are read through [`Parser::byte`].
struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn byte(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn is_done(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.byte() == Some(byte) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// A zone name: three or more letters, or `<` three or more letters, digits, `+` or `-`
    /// `>`. On success the cursor stands after the name (after `>`), and the name is returned
    /// without its brackets.
    fn name(&mut self) -> Option<&[u8]> {
        let quoted = self.eat(b'<');
        let start = self.pos;
        while let Some(b) = self.byte() {
            let ok = b.is_ascii_alphabetic()
                || (quoted && (b.is_ascii_digit() || b == b'+' || b == b'-'));
            if !ok {
                break;
            }
            self.bump();
        }
        let name = self.text.get(start..self.pos)?;
        let ok = name.len() >= 3 && (!quoted || self.eat(b'>'));
        ok.then_some(name)
    }

    /// Decimal digits, at least one, as a value no greater than `max`; the cursor ends after
    /// the digits.
    fn number(&mut self, max: u32) -> Option<u32> {
        let start = self.pos;
        let mut value: u32 = 0;
        while let Some(b @ b'0'..=b'9') = self.byte() {
            value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
            if value > max {
                return None;
            }
            self.bump();
        }
        (self.pos > start).then_some(value)
    }

    /// `[+-]hh[:mm[:ss]]` with `hh` at most `max_hours`, as signed seconds (positive without
    /// a sign). The cursor ends after the last field.
    fn offset(&mut self, max_hours: u32) -> Option<i32> {
        let negative = match self.byte() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => {
                return self.unsigned_offset(max_hours).map(|s| s as i32);
            }
        };
        self.bump();
        let seconds = self.unsigned_offset(max_hours)? as i32;
        Some(if negative { -seconds } else { seconds })
    }

    /// `hh[:mm[:ss]]` in seconds; at most 167 h, so it always fits an `i32`.
    fn unsigned_offset(&mut self, max_hours: u32) -> Option<u32> {
        let hours = self.number(max_hours)?;
        let mut seconds = hours * 3600;
        if self.eat(b':') {
            seconds += self.number(59)? * 60;
            if self.eat(b':') {
                seconds += self.number(59)?;
            }
        }
        Some(seconds)
    }

    /// `,date[/time]`: the cursor ends after the time, or after the date without one.
    fn change(&mut self) -> Result<Change, PosixError> {
        if !self.eat(b',') {
            return Err(error(ErrorKind::Comma));
        }
        let date = match self.byte() {
            Some(b'J') => {
                self.bump();
                match self.number(365) {
                    Some(n @ 1..) => DateRule::Julian1(n as u16),
                    _ => return Err(error(ErrorKind::Date)),
                }
            }
            Some(b'M') => {
                self.bump();
                self.weekday_rule().ok_or(error(ErrorKind::Date))?
            }
            Some(b'0'..=b'9') => {
                DateRule::Julian0(self.number(365).ok_or(error(ErrorKind::Date))? as u16)
            }
            _ => return Err(error(ErrorKind::Date)),
        };
        let time = if self.eat(b'/') {
            self.offset(167).ok_or(error(ErrorKind::Time))?
        } else {
            2 * 3600
        };
        Ok(Change { date, time })
    }

    /// `m.w.d` after the `M`.
    fn weekday_rule(&mut self) -> Option<DateRule> {
        let month = self.number(12).filter(|&m| m >= 1)?;
        if !self.eat(b'.') {
            return None;
        }
        let week = self.number(5).filter(|&w| w >= 1)?;
        if !self.eat(b'.') {
            return None;
        }
        let weekday = self.number(6)?;
        Some(DateRule::Weekday {
            month: month as u8,
            week: week as u8,
            weekday: weekday as u8,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `rule` and checks the offset (seconds east) at each `(instant, offset)` pair.
    fn check(rule: &str, cases: &[(i64, i32)]) {
        let tz = PosixTz::parse(rule.as_bytes()).unwrap_or_else(|e| panic!("{rule}: {e}"));
        for &(unix, expected) in cases {
            assert_eq!(tz.offset_at(unix), expected, "{rule} at @{unix}");
        }
    }

    fn check_error(rule: &str, expected: &str) {
        match PosixTz::parse(rule.as_bytes()) {
            Ok(tz) => panic!("{rule}: accepted as {tz:?}"),
            Err(e) => assert_eq!(e.to_string(), expected, "{rule}"),
        }
    }

    const H: i32 = 3600;

    // Expected offsets below were read from `TZ=<rule> date -d @T +%z` (GNU coreutils 9.1,
    // glibc 2.36).

    #[test]
    fn fixed_offsets_and_names() {
        check("UTC0", &[(0, 0), (1_700_000_000, 0)]);
        check("EST5", &[(1_700_000_000, -5 * H)]);
        check("<+0330>-3:30", &[(1_700_000_000, 3 * H + 1800)]);
        check("<-03>3", &[(1_700_000_000, -3 * H)]);
        check("ABC+4:05:06", &[(0, -(4 * H + 5 * 60 + 6))]);
        check("<UTC+14>-14", &[(0, 14 * H)]);
        check("XYZ-23:59:59", &[(0, 24 * H - 1)]);
        check("XYZ+23:59:59", &[(0, -24 * H + 1)]);
        check("XYZ-22:59:59ABC,J1/0,J365/24", &[(0, 24 * H - 1)]);
    }

    #[test]
    fn northern_rule_with_last_sunday_and_time() {
        // 2023-03-26T01:00Z and 2023-10-29T01:00Z: CET/CEST changes.
        check(
            "CET-1CEST,M3.5.0,M10.5.0/3",
            &[
                (1_679_792_399, H),
                (1_679_792_400, 2 * H),
                (1_698_541_199, 2 * H),
                (1_698_541_200, H),
                (1_700_000_000, H),
            ],
        );
    }

    #[test]
    fn dst_offset_defaults_to_one_hour_ahead() {
        // US rules since 2007: 2023-03-12T07:00Z and 2023-11-05T06:00Z.
        let cases = &[
            (1_678_604_399, -5 * H),
            (1_678_604_400, -4 * H),
            (1_699_163_999, -4 * H),
            (1_699_164_000, -5 * H),
        ];
        check("EST5EDT,M3.2.0,M11.1.0", cases);
        check("EST5EDT", cases);
    }

    #[test]
    fn southern_hemisphere_spans_the_new_year() {
        // Australia/Sydney footer: DST from 2023-10-01T02:00 to 2024-04-07T03:00 local.
        check(
            "AEST-10AEDT,M10.1.0,M4.1.0/3",
            &[
                (1_696_089_599, 10 * H),
                (1_696_089_600, 11 * H),
                (1_704_067_200, 11 * H),
                (1_712_419_199, 11 * H),
                (1_712_419_200, 10 * H),
            ],
        );
    }

    #[test]
    fn negative_transition_times() {
        // America/Godthab's footer: changes at -2:00 and -1:00 local, i.e. the evening before.
        // 2024-03-31T01:00Z and 2024-10-27T01:00Z.
        check(
            "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
            &[
                (1_711_846_799, -2 * H),
                (1_711_846_800, -H),
                (1_729_990_799, -H),
                (1_729_990_800, -2 * H),
            ],
        );
        check(
            "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
            &[
                (1_711_846_799, -3 * H),
                (1_711_846_800, -2 * H),
                (1_729_990_799, -2 * H),
                (1_729_990_800, -3 * H),
            ],
        );
    }

    #[test]
    fn permanent_dst_as_glibc_evaluates_it() {
        // 2024-01-01T02:00Z is before that UTC year's start (05:00Z): glibc says EST.
        check(
            "EST5EDT4,0/0,J365/25",
            &[
                (1_704_074_400, -5 * H),
                (1_704_088_800, -4 * H),
                (1_735_686_000, -4 * H),
                (1_735_707_540, -5 * H),
            ],
        );
    }

    #[test]
    fn julian_days_with_and_without_february_29() {
        // J60 is March 1 in every year; 59 (zero-based) is February 29 in leap years.
        check(
            "AAA0BBB,J60/0,J300/0",
            &[(1_709_251_199, 0), (1_709_251_200, H)],
        );
        check(
            "AAA0BBB,59/0,300/0",
            &[(1_709_164_799, 0), (1_709_164_800, H)],
        );
    }

    #[test]
    fn transition_times_up_to_167_hours() {
        // M3.1.0/167: the first Sunday of March 2024 (the 3rd) plus 167 h = 2024-03-09T23:00.
        check(
            "AAA0BBB,M3.1.0/167,M11.1.0/-167",
            &[(1_710_025_199, 0), (1_710_025_200, H)],
        );
    }

    #[test]
    fn week_five_means_last() {
        // February 2024 has four Sundays; M2.5.0 is the 25th.
        check(
            "AAA0BBB,M2.5.0/0,M12.1.0",
            &[(1_708_819_199, 0), (1_708_819_200, H)],
        );
    }

    #[test]
    fn years_up_to_1970_change_in_1970_as_in_glibc() {
        // 1951-06-27 and 1969-07-12 are summer in the north and winter in the south, but
        // glibc puts both changes of those years in early 1970: standard time in the north
        // (before the start), DST in the south (before the end).
        for unix in [-584_285_300, -14_918_810, -1_000_000_000] {
            check("CET-1CEST,M3.5.0,M10.5.0/3", &[(unix, H)]);
            check("AEST-10AEDT,M10.1.0,M4.1.0/3", &[(unix, 11 * H)]);
        }
    }

    #[test]
    fn the_name_minus_00_marks_an_unknown_offset() {
        let cases: &[(&str, i64, (i32, bool))] = &[
            ("<-00>0", 0, (0, true)),
            ("UTC0", 0, (0, false)),
            ("<-00>0<+01>,M3.5.0,M10.5.0", 1_688_169_600, (H, false)),
            ("<-00>0<+01>,M3.5.0,M10.5.0", 1_700_000_000, (0, true)),
        ];
        for &(rule, unix, expected) in cases {
            let tz = PosixTz::parse(rule.as_bytes()).unwrap();
            assert_eq!(tz.lookup(unix), expected, "{rule} at @{unix}");
        }
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let tz = PosixTz::parse(b"AAA-23:59:59BBB+23:59:59,M12.5.6/-167,J1/167").unwrap();
        for unix in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            let _ = tz.offset_at(unix);
        }
    }

    #[test]
    fn changes_are_total() {
        // (rule, year, DST start and end). Values in range from `date -u -d '2023-03-12 07:00'
        // +%s` and the like. Years up to 1970 are counted from 1970-01-01 as glibc counts them
        // (see `Change::instant`), so even the first year an i64 can name gives small numbers;
        // instants past the i64 range saturate (the end of a `BBB` rule is in DST, an hour
        // earlier in UTC).
        const MAX: i64 = i64::MAX;
        type Case = (&'static str, i64, Option<(i64, i64)>);
        let cases: &[Case] = &[
            ("EST5", 2023, None),
            ("EST5", i64::MAX, None),
            ("EST5EDT", 2023, Some((1_678_604_400, 1_699_164_000))),
            ("EST5EDT", 1970, Some((5_727_600, 26_287_200))),
            // The last year an i64 instant reaches (it ends on December 4).
            (
                "EST5EDT",
                292_277_026_596,
                Some((9_223_372_036_831_762_800, 9_223_372_036_852_322_400)),
            ),
            ("EST5EDT", 1 << 40, Some((MAX, MAX))),
            ("EST5EDT", 1 << 55, Some((MAX, MAX))),
            ("EST5EDT", i64::MAX, Some((MAX, MAX))),
            ("EST5EDT", i64::MIN, Some((6_332_400, 26_892_000))),
            ("AAA0BBB,J60/0,J300/0", i64::MAX, Some((MAX, MAX - 3600))),
            (
                "AAA0BBB,J60/0,J300/0",
                i64::MIN,
                Some((5_184_000, 25_916_400)),
            ),
            ("AAA0BBB,0/0,365/0", i64::MAX, Some((MAX, MAX - 3600))),
            ("AAA0BBB,0/0,365/0", i64::MIN, Some((0, 31_532_400))),
        ];
        for &(rule, year, expected) in cases {
            let tz = PosixTz::parse(rule.as_bytes()).unwrap();
            assert_eq!(tz.changes(year), expected, "{rule} in {year}");
        }
    }

    #[test]
    fn refuses_malformed_rules() {
        let cases = [
            ("", "missing or bad standard time name"),
            ("AB1", "missing or bad standard time name"),
            ("<AB>1", "missing or bad standard time name"),
            ("<ABC1", "missing or bad standard time name"),
            ("Nowhere/Bogus", "missing or bad standard time offset"),
            ("FOO", "missing or bad standard time offset"),
            ("FOO25", "missing or bad standard time offset"),
            // Offsets RFC 3339 cannot write (glibc takes them, up to 24:59:59).
            ("FOO24", "offset of 24 hours or more"),
            ("FOO-24", "offset of 24 hours or more"),
            ("FOO-24:59:59", "offset of 24 hours or more"),
            ("FOO5BAR24,M3.2.0,M11.1.0", "offset of 24 hours or more"),
            ("FOO5BAR-24:00:00", "offset of 24 hours or more"),
            // DST one hour ahead by default: 24 hours east.
            ("FOO-23BAR", "offset of 24 hours or more"),
            ("FOO-23:00:01BAR", "offset of 24 hours or more"),
            ("FOO1:60", "missing or bad standard time offset"),
            ("FOO1:", "missing or bad standard time offset"),
            (
                "FOO99999999999999999999",
                "missing or bad standard time offset",
            ),
            ("FOO1B", "bad daylight saving time name"),
            ("FOO1BAR-", "bad daylight saving time offset"),
            ("FOO1BAR;", "expected ',' before a transition date"),
            ("FOO1BAR,M3.5.0", "expected ',' before a transition date"),
            ("FOO1BAR,M13.1.0,M1.1.0", "bad transition date"),
            ("FOO1BAR,M3.6.0,M1.1.0", "bad transition date"),
            ("FOO1BAR,M3.1.7,M1.1.0", "bad transition date"),
            ("FOO1BAR,J0,J1", "bad transition date"),
            ("FOO1BAR,366,1", "bad transition date"),
            ("FOO1BAR,M3.1.0/168,M1.1.0", "bad transition time"),
            ("FOO1BAR,M3.1.0/,M1.1.0", "bad transition time"),
            (
                "FOO1BAR,M3.1.0,M1.1.0x",
                "unexpected characters after the rule",
            ),
            ("FOO1 ", "bad daylight saving time name"),
        ];
        for (rule, expected) in cases {
            check_error(rule, expected);
        }
    }
}
