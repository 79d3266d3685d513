//! Calendar dates: whether a year, month and day name a day of the proleptic Gregorian calendar,
//! as Go's `time.Parse` checks them (the `date-time` format of our rules and the `date` and
//! `date-time` formats the apiserver checks share it).

/// Whether `day` is a day of `month` (1–12) in `year`, leap years included.
pub fn is_calendar_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::is_calendar_date;

    #[test]
    fn leap_years_and_month_lengths() {
        assert!(is_calendar_date(2024, 2, 29));
        assert!(is_calendar_date(2000, 2, 29));
        assert!(!is_calendar_date(1900, 2, 29));
        assert!(!is_calendar_date(2023, 2, 29));
        assert!(is_calendar_date(2023, 12, 31));
        assert!(!is_calendar_date(2023, 4, 31));
        assert!(!is_calendar_date(2023, 13, 1));
        assert!(!is_calendar_date(2023, 1, 0));
    }
}
