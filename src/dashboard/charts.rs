//! Server-rendered SVG charts (ARCHITECTURE.md: charts are SVG from the server, the numbers also
//! in a table). Pure functions from data to an SVG string; every text taken from data is escaped
//! here, so a page may insert the result unescaped. Colours come from presentation attributes and
//! classes in `static/app.css`, never `style` (the CSP allows no inline styles).
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 44.0;

/// One series of values, `None` where there is nothing to show (a bar is left out).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    /// A CSS class from `static/app.css` (`chart-a`, `chart-b`).
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

/// Escapes text for SVG/HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The top of the value axis: `fixed` when given (percentages: 100), else the largest value
/// rounded up to 1, 2 or 5 times a power of ten; at least 1 so an empty chart still has a scale.
pub fn axis_max(series: &[Series], fixed: Option<f64>) -> f64 {
    if let Some(max) = fixed {
        return max;
    }
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b));
    if max <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|top| *top >= max)
        .unwrap_or(10.0 * magnitude)
}

fn plot_height() -> f64 {
    HEIGHT - TOP - BOTTOM
}

/// The y coordinate of `value` on an axis up to `max`.
pub fn y_of(value: f64, max: f64) -> f64 {
    TOP + plot_height() * (1.0 - (value / max).clamp(0.0, 1.0))
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}").replace('.', ",")
    }
}

/// The opening tag with its accessible name, the axes and the grid lines.
fn frame(id: &str, title: &str, labels: &[String], max: f64) -> (String, f64) {
    let id = escape(id);
    let mut svg = format!(
        r#"<svg class="chart" role="img" aria-labelledby="{id}" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title id="{id}">{}</title>"#,
        escape(title)
    );
    for tick in [0.0, max / 2.0, max] {
        let y = y_of(tick, max);
        let _ = write!(
            svg,
            r#"<line class="chart-grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="chart-tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            number(tick)
        );
    }
    let step = (WIDTH - LEFT - RIGHT) / labels.len().max(1) as f64;
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + step * (i as f64 + 0.5);
        let _ = write!(
            svg,
            r#"<text class="chart-label" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            HEIGHT - BOTTOM + 18.0,
            escape(label)
        );
    }
    (svg, step)
}

/// Bars per label, the series side by side within a label's slot.
pub fn bar_chart(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[Series],
    fixed_max: Option<f64>,
) -> String {
    let max = axis_max(series, fixed_max);
    let (mut svg, step) = frame(id, title, labels, max);
    let bar = step * 0.7 / series.len().max(1) as f64;
    for (s, data) in series.iter().enumerate() {
        for (i, value) in data.values.iter().enumerate().take(labels.len()) {
            let Some(value) = value else { continue };
            let x = LEFT + step * i as f64 + step * 0.15 + bar * s as f64;
            let y = y_of(*value, max);
            let _ = write!(
                svg,
                r#"<rect class="{}" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{:.1}"><title>{}: {}</title></rect>"#,
                data.class,
                TOP + plot_height() - y,
                escape(&format!("{} – {}", labels[i], data.name)),
                number(*value)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One line through the values, with a dot per point.
pub fn line_chart(id: &str, title: &str, labels: &[String], series: &Series) -> String {
    let max = axis_max(std::slice::from_ref(series), None);
    let (mut svg, step) = frame(id, title, labels, max);
    let points: Vec<(f64, f64, f64)> = series
        .values
        .iter()
        .enumerate()
        .take(labels.len())
        .filter_map(|(i, v)| v.map(|v| (LEFT + step * (i as f64 + 0.5), y_of(v, max), v)))
        .collect();
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="{} chart-line" fill="none" points="{}"/>"#,
            series.class,
            path.join(" ")
        );
    }
    for (x, y, v) in points {
        let _ = write!(
            svg,
            r#"<circle class="{}" cx="{x:.1}" cy="{y:.1}" r="4"><title>{}</title></circle>"#,
            series.class,
            number(v)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
