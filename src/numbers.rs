//! Decimal numbers in and out, without `format!` and without panics.
//!
//! Everything OpenVPN hands a hook is text. The numbers in it (`time_unix`, `bytes_sent`, ...)
//! are parsed strictly here: ASCII digits only, no sign, no blanks, and a value that does not fit
//! is an error rather than a wrapped or saturated number. Output helpers append digits to the one
//! buffer a record is built in, so a record costs no allocation beyond that buffer.

/// Why a decimal value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// The value was the empty string.
    Empty,
    /// A byte other than `0`-`9` (a sign, a blank, a letter, a decimal point).
    NotDigits,
    /// More than the type can hold (`u64`: 2^64-1).
    TooLarge,
}

impl NumberError {
    /// A short lowercase description, for diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberError::Empty => "empty",
            NumberError::NotDigits => "not a decimal number",
            NumberError::TooLarge => "too large",
        }
    }
}

/// Parses a non-negative decimal integer made of ASCII digits only.
///
/// Leading zeros are accepted (`007` is 7): OpenVPN never writes them, but a hand-made
/// environment might, and they are unambiguous.
pub fn parse_u64(text: &[u8]) -> Result<u64, NumberError> {
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    let mut value: u64 = 0;
    for &byte in text {
        let digit = match byte {
            b'0'..=b'9' => u64::from(byte - b'0'),
            _ => return Err(NumberError::NotDigits),
        };
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit))
            .ok_or(NumberError::TooLarge)?;
    }
    Ok(value)
}

/// Appends `value` in decimal, without padding.
pub fn write_u64(out: &mut Vec<u8>, value: u64) {
    // 20 digits hold 2^64-1; filled from the right.
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// Appends `value` in decimal, left-padded with zeros to at least `width` digits.
pub fn write_padded(out: &mut Vec<u8>, value: u64, width: usize) {
    let mut len = 1;
    let mut rest = value / 10;
    while rest > 0 {
        len += 1;
        rest /= 10;
    }
    for _ in len..width {
        out.push(b'0');
    }
    write_u64(out, value);
}

/// Appends a signed value in decimal (a `-` for negatives, nothing for positives).
pub fn write_i64(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    write_u64(out, value.unsigned_abs());
}

/// Appends a byte count as megabytes of 10^6 bytes with exactly three decimals, truncated
/// (not rounded), the way the original scripts meant it: 1005000 -> `1.005`, 28948 -> `0.028`.
pub fn write_megabytes(out: &mut Vec<u8>, bytes: u64) {
    write_u64(out, bytes / 1_000_000);
    out.push(b'.');
    write_padded(out, (bytes % 1_000_000) / 1_000, 3);
}

/// Appends a duration in seconds as `<H>:<MM>`: whole hours unpadded (they may exceed 24),
/// minutes zero-padded; leftover seconds are dropped, as in the original scripts.
pub fn write_hours_minutes(out: &mut Vec<u8>, seconds: u64) {
    write_u64(out, seconds / 3600);
    out.push(b':');
    write_padded(out, (seconds % 3600) / 60, 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(write: impl Fn(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn parses_strict_decimals() {
        let cases: &[(&str, Result<u64, NumberError>)] = &[
            ("0", Ok(0)),
            ("007", Ok(7)),
            ("1700000000", Ok(1_700_000_000)),
            ("18446744073709551615", Ok(u64::MAX)),
            ("18446744073709551616", Err(NumberError::TooLarge)),
            ("1000000000000000000000000", Err(NumberError::TooLarge)),
            ("", Err(NumberError::Empty)),
            ("-5", Err(NumberError::NotDigits)),
            ("+5", Err(NumberError::NotDigits)),
            ("12abc", Err(NumberError::NotDigits)),
            (" 12", Err(NumberError::NotDigits)),
            ("12 ", Err(NumberError::NotDigits)),
            ("1.5", Err(NumberError::NotDigits)),
            ("١٢", Err(NumberError::NotDigits)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_u64(text.as_bytes()), *expected, "input {text:?}");
        }
    }

    #[test]
    fn writes_plain_and_padded_decimals() {
        let cases: &[(u64, usize, &str)] = &[
            (0, 0, "0"),
            (0, 2, "00"),
            (5, 2, "05"),
            (42, 2, "42"),
            (123, 2, "123"),
            (7, 3, "007"),
            (u64::MAX, 0, "18446744073709551615"),
            (u64::MAX, 25, "0000018446744073709551615"),
        ];
        for &(value, width, expected) in cases {
            assert_eq!(render(|o| write_padded(o, value, width)), expected);
        }
        assert_eq!(render(|o| write_u64(o, 1234567890)), "1234567890");
        assert_eq!(render(|o| write_i64(o, -42)), "-42");
        assert_eq!(render(|o| write_i64(o, i64::MIN)), "-9223372036854775808");
        assert_eq!(render(|o| write_i64(o, 0)), "0");
    }

    #[test]
    fn writes_megabytes_truncated_and_padded() {
        let cases: &[(u64, &str)] = &[
            (0, "0.000"),
            (999, "0.000"),
            (1_000, "0.001"),
            (28_948, "0.028"),
            (999_999, "0.999"),
            (1_000_000, "1.000"),
            (1_005_000, "1.005"),
            (1_050_000, "1.050"),
            (1_500_000, "1.500"),
            (123_456_789_012, "123456.789"),
            (u64::MAX, "18446744073709.551"),
        ];
        for &(bytes, expected) in cases {
            assert_eq!(
                render(|o| write_megabytes(o, bytes)),
                expected,
                "{bytes} bytes"
            );
        }
    }

    #[test]
    fn writes_hours_and_padded_minutes() {
        let cases: &[(u64, &str)] = &[
            (0, "0:00"),
            (59, "0:00"),
            (60, "0:01"),
            (3_900, "1:05"),
            (86_399, "23:59"),
            (90_000, "25:00"),
            (u64::MAX, "5124095576030431:00"),
        ];
        for &(seconds, expected) in cases {
            assert_eq!(
                render(|o| write_hours_minutes(o, seconds)),
                expected,
                "{seconds} s"
            );
        }
    }
}
