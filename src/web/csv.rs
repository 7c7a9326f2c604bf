//! CSV downloads, in the conventions of the provider export: `;`-separated (what Dutch Excel
//! expects), UTF-8 with a BOM (so Excel does not read it as Windows-1252), an attachment named
//! after the list and the day, and every cell protected against spreadsheet formulas.
use std::borrow::Cow;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::working_days::dutch_date;
use crate::error::{AppError, AppResult};

/// Exports are built in memory; this many rows is a few megabytes. A list longer than this gets
/// a request to filter rather than a silently cut-off file.
pub const MAX_ROWS: u64 = 10_000;

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a leading `'`,
/// which spreadsheets show as text and the provider importer drops again.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    // Tab and carriage return too (OWASP): some spreadsheets strip them and read a formula.
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A sheet being written: a header row, then rows, each cell made spreadsheet-safe.
pub struct Sheet {
    writer: csv::Writer<Vec<u8>>,
}

impl Sheet {
    pub fn new<S: AsRef<str>>(header: &[S]) -> AppResult<Sheet> {
        let mut sheet = Sheet {
            writer: csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(b"\xEF\xBB\xBF".to_vec()),
        };
        sheet.row(header)?;
        Ok(sheet)
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> AppResult<()> {
        self.writer
            .write_record(
                cells
                    .iter()
                    .map(|c| spreadsheet_safe(c.as_ref()).into_owned()),
            )
            .map_err(AppError::internal)
    }

    pub fn finish(self) -> AppResult<Vec<u8>> {
        self.writer.into_inner().map_err(AppError::internal)
    }
}

/// Refuses a list longer than [`MAX_ROWS`] (callers fetch one row more to notice).
pub fn check_size<T>(rows: &[T]) -> AppResult<()> {
    if rows.len() as u64 > MAX_ROWS {
        return Err(AppError::validation(
            "export",
            format!(
                "Meer dan {MAX_ROWS} regels: kies een filter om de lijst kleiner te maken en exporteer dan opnieuw."
            ),
        ));
    }
    Ok(())
}

/// The file as a download named `{name}-{today}.csv`.
pub fn attachment(name: &str, body: Vec<u8>) -> AppResult<Response> {
    let disposition = format!(
        "attachment; filename=\"{name}-{}.csv\"",
        Utc::now().format("%Y-%m-%d")
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    Ok(response)
}

/// Dates as `YYYY-MM-DD`: a spreadsheet sorts and filters them as dates, unlike `5 januari 2027`.
pub fn date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The Dutch calendar date of a moment, empty when there is none.
pub fn day_of(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| date(dutch_date(at))).unwrap_or_default()
}

pub fn yes_no(value: bool) -> &'static str {
    if value { "ja" } else { "nee" }
}

/// A percentage as the API writes it (`62.5`, `100.0`: a decimal point, one decimal), empty when
/// nothing was assessed.
pub fn pct(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_tab_or_carriage_return_is_neutralised_too() {
        assert_eq!(spreadsheet_safe("\t=1+1"), "'\t=1+1");
        assert_eq!(spreadsheet_safe("\r=1+1"), "'\r=1+1");
        assert_eq!(spreadsheet_safe("Zorg"), "Zorg");
    }

    #[test]
    fn formulas_are_neutralised_and_cells_quoted_where_needed() {
        let mut sheet = Sheet::new(&["naam", "score"]).unwrap();
        sheet.row(&["=HYPERLINK(\"x\")", "-1"]).unwrap();
        sheet.row(&["Zorg; & Co", "@SUM"]).unwrap();
        let text = String::from_utf8(sheet.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{feff}naam;score\n\"'=HYPERLINK(\"\"x\"\")\";'-1\n\"Zorg; & Co\";'@SUM\n"
        );
        assert_eq!(spreadsheet_safe("+31 6"), "'+31 6");
        assert_eq!(pct(Some(100.0)), "100.0");
        assert_eq!(pct(Some(62.5)), "62.5");
        assert_eq!(pct(None), "");
    }
}
