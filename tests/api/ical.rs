//! Reads an iCalendar body with Python's `icalendar`, an independent implementation, so the
//! tests check the feed against a real reader rather than against our own idea of RFC 5545.
//! Without python3 or the library (6 or later) the tests fail, never skip:
//! `pip install 'icalendar>=6'`.
use serde_json::Value;

/// Prints the calendar as JSON: its properties, every event (times as ISO 8601 with offset),
/// the parse errors icalendar collected, and the UTC offsets our VTIMEZONE itself gives
/// (`lookup_tzid=False`: built from the component, not from Python's own zone database).
const READER: &str = r#"
import json, sys
from datetime import datetime
try:
    import icalendar
except ImportError:
    sys.exit(3)
if int(icalendar.__version__.split(".")[0]) < 6:
    sys.exit(3)
with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
errors = [[c.name, str(e)] for c in cal.walk() for e in getattr(c, "errors", [])]
events = []
for ev in cal.walk("VEVENT"):
    events.append({
        "uid": str(ev["UID"]),
        "summary": str(ev["SUMMARY"]),
        "location": str(ev.get("LOCATION", "")),
        "description": str(ev.get("DESCRIPTION", "")),
        "url": str(ev.get("URL", "")),
        "status": str(ev.get("STATUS", "")),
        "sequence": int(ev.get("SEQUENCE", -1)),
        "dtstamp": ev.decoded("DTSTAMP").isoformat(),
        "dtstart": ev.decoded("DTSTART").isoformat(),
        "dtend": ev.decoded("DTEND").isoformat(),
        "tzid": ev["DTSTART"].params.get("TZID"),
    })
offsets = {}
for component in cal.walk("VTIMEZONE"):
    zone = component.to_tz(lookup_tzid=False)
    offsets[str(component["TZID"])] = {
        when: datetime.fromisoformat(when).replace(tzinfo=zone).utcoffset().total_seconds() / 3600
        for when in ["2026-12-01T10:00:00", "2027-07-01T10:00:00", "2027-03-28T01:59:00",
                     "2027-03-28T03:00:00", "2026-10-25T01:59:00", "2026-10-25T03:00:00"]
    }
print(json.dumps({
    "version": str(cal.get("VERSION")), "prodid": str(cal.get("PRODID")),
    "method": str(cal.get("METHOD")), "calscale": str(cal.get("CALSCALE")),
    "name": str(cal.get("X-WR-CALNAME")), "timezone": str(cal.get("X-WR-TIMEZONE")),
    "errors": errors, "events": events, "offsets": offsets,
}))
"#;

pub async fn read(body: &str) -> Value {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), body).expect("write the feed");
    let output = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(READER)
        .arg(file.path())
        .output()
        .await
        .unwrap_or_else(|err| {
            panic!(
                "the calendar tests need python3 with icalendar ({err}): install Python 3, then \
                 `pip install icalendar` (.ci/run does this)"
            )
        });
    assert_ne!(
        output.status.code(),
        Some(3),
        "the calendar tests need Python's icalendar library, version 6 or later: \
         `pip install 'icalendar>=6'` (or with --break-system-packages; .ci/run does this)"
    );
    assert!(
        output.status.success(),
        "icalendar could not read the feed: {}\n{body}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: Value = serde_json::from_slice(&output.stdout).expect("the reader prints JSON");
    assert_eq!(parsed["errors"], serde_json::json!([]), "parse errors");
    parsed
}

/// The octet-level rules a lenient reader would forgive: CRLF only, at most 75 octets a line.
pub fn assert_well_formed(body: &str) {
    assert!(body.ends_with("\r\n"), "ends with CRLF");
    assert!(
        !body.replace("\r\n", "").contains(['\r', '\n']),
        "no bare CR or LF"
    );
    for line in body.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}
