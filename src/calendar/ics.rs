//! RFC 5545 rendering, pure: the calendar of one person's visits as text. Everything that the
//! RFC is strict about lives here and is unit-tested: CRLF line ends, TEXT escaping, folding at
//! 75 octets on UTF-8 character boundaries, and local times in Europe/Amsterdam with the
//! VTIMEZONE that defines them.
use chrono::{DateTime, LocalResult, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

const TZID: &str = "Europe/Amsterdam";
/// The longest a content line may be, in octets, without its CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// The EU rule since 1996: CEST from the last Sunday of March 02:00, CET from the last Sunday of
/// October 03:00. The DTSTARTs are 1970 dates on which those Sundays fell, as the RRULEs
/// require; Amsterdam had no summer time then, but visits never lie that far back.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "X-LIC-LOCATION:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// One VEVENT, already in words; `uid` must stay the same for the same visit forever.
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub last_modified: DateTime<Utc>,
    pub sequence: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
}

/// The whole calendar: `name` becomes the calendar's title in the person's app.
pub fn render(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//GGD//toezicht//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    push_line(&mut out, &format!("X-WR-TIMEZONE:{TZID}"));
    // Hints for apps that subscribe: look again every hour (they may choose to wait longer).
    push_line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    push_line(&mut out, "X-PUBLISHED-TTL:PT1H");
    for line in VTIMEZONE {
        push_line(&mut out, line);
    }
    for event in events {
        push_event(&mut out, event);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn push_event(out: &mut String, event: &Event) {
    let stamp = utc(event.last_modified);
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", escape_text(&event.uid)));
    // DTSTAMP follows the visit rather than the moment of rendering, so an unchanged visit
    // renders byte for byte the same on every poll.
    push_line(out, &format!("DTSTAMP:{stamp}"));
    push_line(out, &format!("LAST-MODIFIED:{stamp}"));
    push_line(out, &format!("SEQUENCE:{}", event.sequence));
    push_line(out, &date_time("DTSTART", event.starts_at));
    push_line(out, &date_time("DTEND", event.ends_at));
    push_line(out, &format!("SUMMARY:{}", escape_text(&event.summary)));
    push_line(out, &format!("LOCATION:{}", escape_text(&event.location)));
    push_line(
        out,
        &format!("DESCRIPTION:{}", escape_text(&event.description)),
    );
    // URL is a URI, not TEXT: it is not escaped.
    push_line(out, &format!("URL:{}", event.url));
    push_line(out, "STATUS:CONFIRMED");
    push_line(out, "TRANSP:OPAQUE");
    push_line(out, "END:VEVENT");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `DTSTART;TZID=Europe/Amsterdam:20261201T100000`: people read their agenda in Dutch time.
/// In the hour that occurs twice when summer time ends, a local time names its first
/// occurrence (RFC 5545 3.3.5), so a moment in the second one is written in UTC instead.
pub fn date_time(property: &str, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Amsterdam).naive_local();
    match Amsterdam.from_local_datetime(&local) {
        LocalResult::Ambiguous(first, _) if first.with_timezone(&Utc) != at => {
            format!("{property}:{}", utc(at))
        }
        _ => format!("{property};TZID={TZID}:{}", local.format("%Y%m%dT%H%M%S")),
    }
}

/// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, and line breaks as `\n`. Other
/// control characters may not appear in TEXT at all and are dropped.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line into lines of at most 75 octets, each ended with CRLF; continuation
/// lines start with one space (which counts towards their 75). A fold never splits a UTF-8
/// character, so a line may end a few octets short.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(&fold(line));
}

#[cfg(test)]
#[path = "ics_tests.rs"]
mod tests;
