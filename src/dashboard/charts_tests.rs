use super::*;

fn series(values: &[Option<f64>]) -> Series {
    Series {
        name: "Dit jaar".into(),
        class: "chart-a",
        values: values.to_vec(),
    }
}

fn labels(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("L{i}")).collect()
}

#[test]
fn the_axis_rounds_up_to_a_nice_number() {
    assert_eq!(axis_max(&[series(&[Some(3.0)])], None), 5.0);
    assert_eq!(axis_max(&[series(&[Some(13.0), None])], None), 20.0);
    assert_eq!(axis_max(&[series(&[Some(50.0)])], None), 50.0);
    assert_eq!(axis_max(&[series(&[Some(51.0)])], None), 100.0);
    assert_eq!(axis_max(&[series(&[Some(40.0)])], Some(100.0)), 100.0);
}

#[test]
fn values_map_onto_the_plot_area() {
    assert_eq!(y_of(0.0, 10.0), TOP + plot_height());
    assert_eq!(y_of(10.0, 10.0), TOP);
    assert_eq!(y_of(5.0, 10.0), TOP + plot_height() / 2.0);
    assert_eq!(y_of(20.0, 10.0), TOP, "clamped to the top");
}

#[test]
fn empty_data_still_gives_a_chart_with_a_scale() {
    let svg = bar_chart("leeg", "Niets", &[], &[series(&[])], None);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(!svg.contains("<rect"));
    assert!(svg.contains(">1</text>"), "axis up to 1: {svg}");
    let zeros = line_chart("nul", "Nul", &labels(3), &series(&[Some(0.0); 3]));
    assert!(!zeros.contains("NaN"), "{zeros}");
    assert_eq!(zeros.matches("<circle").count(), 3);
}

#[test]
fn bars_leave_out_missing_values_and_are_named() {
    let svg = bar_chart(
        "scores",
        "Scores",
        &labels(2),
        &[series(&[Some(50.0), None])],
        Some(100.0),
    );
    assert_eq!(svg.matches("<rect").count(), 1);
    assert!(svg.contains(r#"role="img""#) && svg.contains(r#"aria-labelledby="scores""#));
    assert!(svg.contains(r#"<title id="scores">Scores</title>"#));
    assert!(svg.contains("L0 – Dit jaar: 50"));
    assert!(!svg.contains("style="));
}

#[test]
fn text_from_data_is_escaped() {
    let svg = bar_chart(
        "a\"b",
        "<script>&",
        &["<b>x</b>".to_string()],
        &[series(&[Some(1.0)])],
        None,
    );
    assert!(!svg.contains("<script>") && !svg.contains("<b>"));
    assert!(svg.contains("&lt;script&gt;&amp;"));
    assert!(svg.contains("&lt;b&gt;x&lt;/b&gt;"));
    assert!(svg.contains(r#"id="a&quot;b""#));
}

#[test]
fn a_line_runs_through_every_point() {
    let svg = line_chart(
        "m",
        "Per maand",
        &labels(3),
        &series(&[Some(1.0), Some(2.0), Some(0.0)]),
    );
    assert_eq!(svg.matches("<polyline").count(), 1);
    assert_eq!(svg.matches("<circle").count(), 3);
}
