//! Seconds since the epoch to a calendar date and clock time, and back to text.
//!
//! The proleptic Gregorian calendar, computed in 400-year cycles (146 097 days each) so that
//! every `i64` instant converts without overflow or a loop over years. The way back, from a
//! date to days, takes years within [`YEAR_LIMIT`], which holds every year an instant can fall
//! in; beyond it a year is clamped, so that no input can overflow.

use crate::numbers::write_padded;

/// A calendar date and clock time at some offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Seconds east of UTC that this time includes.
    pub offset: i32,
    /// The zone says local time is unknown here (abbreviation `-00`, e.g. uninhabited
    /// Antarctic stations before settlement): RFC 3339 then writes the offset `-00:00`.
    pub offset_unknown: bool,
}

const SECONDS_PER_DAY: i64 = 86_400;

/// The years [`days_from_civil`] takes as they are: far more than the years every `i64` instant
/// falls in (-292 277 022 657 to 292 277 026 596). A year beyond it is clamped to it: no instant
/// lies there, and within it every sum and product of the calendar arithmetic, here and in
/// the POSIX rules built on it, stays below 2^49 days.
pub const YEAR_LIMIT: i64 = 1 << 40;

impl LocalTime {
    /// The calendar time at `unix` seconds since the epoch, seen at `offset` seconds east of
    /// UTC.
    pub fn new(unix: i64, offset: i32) -> LocalTime {
        let local = unix.saturating_add(i64::from(offset));
        let days = local.div_euclid(SECONDS_PER_DAY);
        let secs = local.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        LocalTime {
            year,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
            offset,
            offset_unknown: false,
        }
    }

    /// Appends `%F-%H:%M` (`2026-11-23-09:05`), the classic records' form.
    pub fn write_minute(&self, out: &mut Vec<u8>) {
        self.write_date(out);
        out.push(b'-');
        self.write_hour_minute(out);
    }

    /// Appends RFC 3339 with the numeric offset: `2026-11-23T09:05:00+01:00`. Offsets with
    /// seconds (local mean time before 1900) lose them: RFC 3339 has no place for them. An
    /// unknown offset is `-00:00` (RFC 3339 section 4.3), as `date +%:z` prints it.
    pub fn write_rfc3339(&self, out: &mut Vec<u8>) {
        self.write_date(out);
        out.push(b'T');
        self.write_hour_minute(out);
        out.push(b':');
        write_padded(out, u64::from(self.second), 2);
        let abs = self.offset.unsigned_abs();
        out.push(if self.offset < 0 || self.offset_unknown {
            b'-'
        } else {
            b'+'
        });
        write_padded(out, u64::from(abs / 3600), 2);
        out.push(b':');
        write_padded(out, u64::from(abs % 3600 / 60), 2);
    }

    /// Appends `%H:%M`.
    fn write_hour_minute(&self, out: &mut Vec<u8>) {
        write_padded(out, u64::from(self.hour), 2);
        out.push(b':');
        write_padded(out, u64::from(self.minute), 2);
    }

    /// Appends `%F` as GNU `date` prints it (`%+4Y-%m-%d`): the year in four characters
    /// counting a minus sign (`0999`, `-001`), with a plus sign when it needs more than four
    /// digits (`+10000`); month and day in two digits.
    fn write_date(&self, out: &mut Vec<u8>) {
        let digits = self.year.unsigned_abs();
        if self.year < 0 {
            out.push(b'-');
            write_padded(out, digits, 3);
        } else {
            if digits > 9_999 {
                out.push(b'+');
            }
            write_padded(out, digits, 4);
        }
        out.push(b'-');
        write_padded(out, u64::from(self.month), 2);
        out.push(b'-');
        write_padded(out, u64::from(self.day), 2);
    }
}

/// Days since 1970-01-01 to (year, month 1-12, day 1-31).
///
/// Counts from 0000-03-01 so that the leap day ends each cycle of the computation; years
/// then start in March and are shifted back at the end.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    // 719 468 days from 0000-03-01 to 1970-01-01.
    let shifted = days.saturating_add(719_468);
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097); // 0..=146096
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // 0 = March .. 11 = February
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u8;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u8;
    let year = era
        .saturating_mul(400)
        .saturating_add(year_of_era)
        .saturating_add(i64::from(month <= 2));
    (year, month, day)
}

/// (year, month 1-12, day 1-31) to days since 1970-01-01; the inverse of [`civil_from_days`]
/// for valid dates with years within [`YEAR_LIMIT`]. Total: a year beyond the limit counts as
/// the limit, and any `u8` month and day give a number (an invalid date, a meaningless one).
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let year = year.clamp(-YEAR_LIMIT, YEAR_LIMIT) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minute(unix: i64, offset: i32) -> String {
        let mut out = Vec::new();
        LocalTime::new(unix, offset).write_minute(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn rfc3339(unix: i64, offset: i32) -> String {
        let mut out = Vec::new();
        LocalTime::new(unix, offset).write_rfc3339(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn prints_known_instants() {
        // Expected values from `TZ=UTC date -d @T +%F-%H:%M` (GNU coreutils 9.1).
        let cases: &[(i64, i32, &str)] = &[
            (0, 0, "1970-01-01-00:00"),
            (-1, 0, "1969-12-31-23:59"),
            (951_782_400, 0, "2000-02-29-00:00"),
            (1_700_000_000, 0, "2023-11-14-22:13"),
            (1_700_000_000, 3_600, "2023-11-14-23:13"),
            (1_700_000_000, -5 * 3_600, "2023-11-14-17:13"),
            (4_107_542_400, 0, "2100-03-01-00:00"),
            (-2_208_988_800, 0, "1900-01-01-00:00"),
            (-62_167_219_200, 0, "0000-01-01-00:00"),
            (253_402_300_799, 0, "9999-12-31-23:59"),
            (253_402_300_800, 0, "+10000-01-01-00:00"),
            (-30_610_224_000, 0, "1000-01-01-00:00"),
            (-30_641_760_000, 0, "0999-01-01-00:00"),
            (-62_198_755_200, 0, "-001-01-01-00:00"),
            (-2_147_483_649, 0, "1901-12-13-20:45"),
        ];
        for &(unix, offset, expected) in cases {
            assert_eq!(minute(unix, offset), expected, "@{unix} offset {offset}");
        }
    }

    #[test]
    fn prints_rfc3339_with_offset() {
        let cases: &[(i64, i32, &str)] = &[
            (0, 0, "1970-01-01T00:00:00+00:00"),
            (1_700_000_000, 3_600, "2023-11-14T23:13:20+01:00"),
            (
                1_700_000_000,
                -(3 * 3_600 + 1_800),
                "2023-11-14T18:43:20-03:30",
            ),
            (1_700_000_000, 20_700, "2023-11-15T03:58:20+05:45"),
        ];
        for &(unix, offset, expected) in cases {
            assert_eq!(rfc3339(unix, offset), expected, "@{unix} offset {offset}");
        }
    }

    #[test]
    fn an_unknown_offset_is_minus_00_00() {
        let mut time = LocalTime::new(0, 0);
        time.offset_unknown = true;
        let mut out = Vec::new();
        time.write_rfc3339(&mut out);
        assert_eq!(out, b"1970-01-01T00:00:00-00:00");
    }

    #[test]
    fn days_round_trip_over_many_cycles() {
        // Every day from 1600-03-01 to 2500-01-01: several 400-year cycles and their leap
        // days, in both directions (the extremes are in `days_from_civil_is_total`).
        let mut days = days_from_civil(1600, 3, 1);
        let end = days_from_civil(2500, 1, 1);
        let mut previous = civil_from_days(days - 1);
        while days < end {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d));
            // Consecutive days are consecutive dates.
            let next_day = (previous.0, previous.1, previous.2 + 1);
            let next_month = (previous.0, previous.1 + 1, 1);
            let next_year = (previous.0 + 1, 1, 1);
            assert!([next_day, next_month, next_year].contains(&(y, m, d)));
            previous = (y, m, d);
            days += 1;
        }
    }

    /// Checks `days_from_civil(year, month, day)`, and that `civil_from_days` turns the result
    /// back into the same date when the year is within the limit.
    fn check(year: i64, month: u8, day: u8, expected: i64) {
        let days = days_from_civil(year, month, day);
        assert_eq!(days, expected, "{year}-{month}-{day}");
        if (-YEAR_LIMIT..=YEAR_LIMIT).contains(&year) {
            assert_eq!(civil_from_days(days), (year, month, day), "{days}");
        }
    }

    #[test]
    fn days_from_civil_is_total() {
        // Expected values from the same formula in Python's unbounded integers.
        let cases: &[(i64, u8, u8, i64)] = &[
            (1970, 1, 1, 0),
            (2000, 3, 1, 11_017),
            (0, 1, 1, -719_528),
            (-1, 12, 31, -719_529),
            (9999, 12, 31, 2_932_896),
            // The days of the first and last instants an i64 can hold.
            (292_277_026_596, 12, 4, i64::MAX.div_euclid(86_400)),
            (-292_277_022_657, 1, 27, i64::MIN.div_euclid(86_400)),
            (YEAR_LIMIT, 1, 1, 401_588_374_988_448),
            (YEAR_LIMIT, 3, 1, 401_588_374_988_508),
            (-YEAR_LIMIT, 1, 1, -401_588_376_427_504),
            (-YEAR_LIMIT, 3, 1, -401_588_376_427_444),
            // Beyond the limit: clamped, never overflowing.
            (YEAR_LIMIT + 1, 1, 1, 401_588_374_988_448),
            (1 << 55, 3, 1, 401_588_374_988_508),
            (i64::MAX, 3, 1, 401_588_374_988_508),
            (i64::MIN, 1, 1, -401_588_376_427_504),
            (i64::MIN, 3, 1, -401_588_376_427_444),
        ];
        for &(year, month, day, expected) in cases {
            check(year, month, day, expected);
        }
        // Months and days out of range give some number, never a panic.
        for year in [i64::MIN, -1, 0, 1970, i64::MAX] {
            for month in [0, 1, 12, 13, u8::MAX] {
                for day in [0, 1, 31, u8::MAX] {
                    let _ = days_from_civil(year, month, day);
                }
            }
        }
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        for unix in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 86_400] {
            for offset in [i32::MIN, 0, i32::MAX] {
                let _ = minute(unix, offset);
                let _ = rfc3339(unix, offset);
            }
        }
    }
}
