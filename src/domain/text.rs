//! Small helpers for text that people read (in Dutch).

/// A waiting time in words: "45 seconden", "1 minuut", "12 minuten".
pub fn duration_nl(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} seconden"),
        60..=119 => "1 minuut".into(),
        _ => format!("{} minuten", secs.div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::duration_nl;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_nl(45), "45 seconden");
        assert_eq!(duration_nl(60), "1 minuut");
        assert_eq!(duration_nl(61), "1 minuut");
        assert_eq!(duration_nl(120), "2 minuten");
        assert_eq!(duration_nl(899), "15 minuten");
    }
}
