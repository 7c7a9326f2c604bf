use super::*;

fn at(value: &str) -> DateTime<Utc> {
    value.parse().unwrap()
}

/// Undoes folding as a reader does: a CRLF followed by one space disappears.
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

fn event() -> Event {
    Event {
        uid: "0b6f2a52-6f0e-4f57-9d57-8a3f1b2c4d5e@toezicht".into(),
        last_modified: at("2026-11-20T08:30:00Z"),
        sequence: 91_000_000,
        starts_at: at("2026-12-01T09:00:00Z"),
        ends_at: at("2026-12-01T11:00:00Z"),
        summary: "Inspectiebezoek Zorggroep De Linde (onaangekondigd)".into(),
        location: "Hengelosestraat 12a, 7514 AE Enschede".into(),
        description: "Reden: Regulier toezicht\nhttp://x/bezoeken/1".into(),
        url: "http://x/bezoeken/1".into(),
    }
}

#[test]
fn text_is_escaped_as_rfc_5545_says() {
    assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
    assert_eq!(
        escape_text("regel 1\nregel 2\r\nregel 3"),
        r"regel 1\nregel 2\nregel 3"
    );
    assert_eq!(
        escape_text("kop:\u{7}waarde\tmet tab"),
        "kop:waarde\tmet tab"
    );
    assert_eq!(escape_text("Zorg & Welzijn — é"), "Zorg & Welzijn — é");
}

#[test]
fn short_lines_are_not_folded() {
    assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
    let exact = "X".repeat(75);
    assert_eq!(fold(&exact), format!("{exact}\r\n"));
}

#[test]
fn long_lines_fold_at_75_octets_with_a_leading_space() {
    let line = format!("SUMMARY:{}", "a".repeat(200));
    let folded = fold(&line);
    let lines: Vec<&str> = folded.split_terminator("\r\n").collect();
    assert_eq!(lines[0].len(), 75);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with(' ') && l.len() <= 75)
    );
    assert_eq!(lines[1].len(), 75, "the space counts towards the 75");
    assert_eq!(unfold(&folded), format!("{line}\r\n"));
}

#[test]
fn a_fold_never_splits_a_multi_byte_character() {
    // "é" (2 octets) and "—" (3 octets) placed across the 75th octet.
    for (prefix, c) in [(74, 'é'), (73, '—'), (74, '—'), (75, 'é')] {
        let line = format!("{}{c}{}", "x".repeat(prefix), "y".repeat(80));
        let folded = fold(&line);
        for piece in folded.split_terminator("\r\n") {
            assert!(piece.len() <= 75, "{prefix}{c}: {} octets", piece.len());
        }
        assert_eq!(unfold(&folded), format!("{line}\r\n"), "{prefix}{c}");
        let first = folded.split("\r\n").next().unwrap();
        assert_eq!(
            first.len(),
            if prefix + c.len_utf8() <= 75 {
                prefix + c.len_utf8()
            } else {
                prefix
            },
            "{prefix}{c}: the character moves to the next line whole"
        );
    }
    let dashes = "—".repeat(60);
    let folded = fold(&dashes);
    assert!(folded.split_terminator("\r\n").all(|l| l.len() <= 75));
    assert_eq!(unfold(&folded), format!("{dashes}\r\n"));
}

#[test]
fn times_are_written_in_dutch_local_time() {
    assert_eq!(
        date_time("DTSTART", at("2026-12-01T09:00:00Z")),
        "DTSTART;TZID=Europe/Amsterdam:20261201T100000"
    );
    assert_eq!(
        date_time("DTEND", at("2027-07-01T08:00:00Z")),
        "DTEND;TZID=Europe/Amsterdam:20270701T100000",
        "CEST"
    );
    // 25 October 2026: 02:30 local happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    assert_eq!(
        date_time("DTSTART", at("2026-10-25T00:30:00Z")),
        "DTSTART;TZID=Europe/Amsterdam:20261025T023000"
    );
    assert_eq!(
        date_time("DTSTART", at("2026-10-25T01:30:00Z")),
        "DTSTART:20261025T013000Z",
        "the second 02:30 cannot be named in local time"
    );
}

#[test]
fn a_calendar_has_crlf_lines_of_at_most_75_octets_and_every_part() {
    let mut long = event();
    long.summary = long_summary();
    let text = render("Bezoeken Anna de Vries, Twente", &[event(), long]);
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    let unfolded = unfold(&text);
    for expected in [
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//GGD//toezicht//NL\r\n",
        "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
        "X-WR-CALNAME:Bezoeken Anna de Vries\\, Twente\r\n",
        "X-WR-TIMEZONE:Europe/Amsterdam\r\n",
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n",
        "UID:0b6f2a52-6f0e-4f57-9d57-8a3f1b2c4d5e@toezicht\r\n",
        "DTSTAMP:20261120T083000Z\r\nLAST-MODIFIED:20261120T083000Z\r\nSEQUENCE:91000000\r\n",
        "DTSTART;TZID=Europe/Amsterdam:20261201T100000\r\n",
        "DTEND;TZID=Europe/Amsterdam:20261201T120000\r\n",
        "LOCATION:Hengelosestraat 12a\\, 7514 AE Enschede\r\n",
        "DESCRIPTION:Reden: Regulier toezicht\\nhttp://x/bezoeken/1\r\n",
        "URL:http://x/bezoeken/1\r\nSTATUS:CONFIRMED\r\n",
    ] {
        assert!(unfolded.contains(expected), "{expected:?} in\n{unfolded}");
    }
    assert!(unfolded.contains(&format!("SUMMARY:{}\r\n", escape_text(&long_summary()))));
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2);
}

fn long_summary() -> String {
    format!("Inspectiebezoek {} (aangekondigd)", "Zorg—é ".repeat(20))
}

#[test]
fn an_empty_calendar_is_still_a_valid_calendar() {
    let text = render("Bezoeken", &[]);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.contains("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"));
    assert!(!text.contains("VEVENT"));
}
