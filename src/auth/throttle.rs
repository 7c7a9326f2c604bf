//! Sign-in throttling (API.md "Authentication"): after 5 failures for one email within 15 minutes,
//! every attempt for that email is refused until the oldest of those 5 is 15 minutes old.
use chrono::{DateTime, Duration, Utc};

pub const MAX_FAILURES: usize = 5;
pub const WINDOW_MINUTES: i64 = 15;

pub fn window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(WINDOW_MINUTES)
}

/// `recent_failures`: the failures inside the window, newest first. Returns the seconds to wait,
/// or `None` when an attempt may go ahead.
pub fn retry_after(recent_failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<u64> {
    let in_window: Vec<_> = recent_failures
        .iter()
        .filter(|at| **at > window_start(now))
        .collect();
    if in_window.len() < MAX_FAILURES {
        return None;
    }
    // Once the 5th-newest failure leaves the window, fewer than 5 remain.
    let fifth_newest = *in_window[MAX_FAILURES - 1];
    let free_at = fifth_newest + Duration::minutes(WINDOW_MINUTES);
    let secs = (free_at - now).num_milliseconds().max(0) as u64;
    Some(secs.div_ceil(1000).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes_ago: i64, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::minutes(minutes_ago)
    }

    #[test]
    fn four_failures_do_not_block() {
        let now = Utc::now();
        let failures: Vec<_> = (1..=4).map(|m| at(m, now)).collect();
        assert_eq!(retry_after(&failures, now), None);
    }

    #[test]
    fn five_failures_block_until_the_oldest_is_fifteen_minutes_old() {
        let now = Utc::now();
        let failures: Vec<_> = [1, 2, 3, 4, 10].iter().map(|m| at(*m, now)).collect();
        assert_eq!(retry_after(&failures, now), Some(5 * 60));
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let now = Utc::now();
        let failures: Vec<_> = [1, 2, 3, 4, 16].iter().map(|m| at(*m, now)).collect();
        assert_eq!(retry_after(&failures, now), None);
    }

    #[test]
    fn with_more_than_five_the_fifth_newest_decides() {
        let now = Utc::now();
        let failures: Vec<_> = [1, 2, 3, 4, 6, 14].iter().map(|m| at(*m, now)).collect();
        assert_eq!(retry_after(&failures, now), Some(9 * 60));
    }
}
