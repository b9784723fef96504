//! Numbers from a model file, written back in error messages the way a user can read them.

/// Magnitudes from which a number is written in scientific notation: at and above 10^15 (a
/// plain `1e308` would print all 309 digits) and, apart from 0, below 10^-6.
const LARGE: f64 = 1e15;
const SMALL: f64 = 1e-6;

/// `v` as a user reads it: plain decimals (`1500`, `0.25`) for everyday magnitudes, scientific
/// notation (`1e308`, `1.5e-9`) for huge and tiny ones.
pub fn readable(v: f64) -> String {
    let a = v.abs();
    if v.is_finite() && v != 0.0 && !(SMALL..LARGE).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_tiny_numbers_are_short() {
        // See: issue 7, defect 8
        assert_eq!(readable(1e308), "1e308");
        assert_eq!(readable(-2.5e20), "-2.5e20");
        assert_eq!(readable(1e-300), "1e-300");
        assert_eq!(readable(1.5e-9), "1.5e-9");
    }

    #[test]
    fn everyday_numbers_are_plain() {
        assert_eq!(readable(0.0), "0");
        assert_eq!(readable(1500.0), "1500");
        assert_eq!(readable(0.25), "0.25");
        assert_eq!(readable(1e-6), "0.000001");
        assert_eq!(readable(999_999_999_999_999.0), "999999999999999");
        assert_eq!(readable(31_622_400_000.0), "31622400000");
    }
}
