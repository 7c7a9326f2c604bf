//! The accessibility check of the issue: Chromium (playwright-core) signs in as a demo inspector,
//! opens the key pages and the public signal form, runs axe-core (WCAG 2.1 A/AA) on each and
//! fails on any serious or critical violation. Screenshots land in `target/screenshots/` (CI
//! artefacts). Needs node, `/usr/bin/chromium` and `npm ci --prefix tests/browser`.
use serde_json::Value;

use crate::helpers::TestApp;

/// Pages anyone can open, and pages of the signed-in demo inspector of Twente.
const PUBLIC: &[&str] = &["/", "/melding", "/login"];
const SIGNED_IN: &[&str] = &[
    "/regio/GG1106/planning",
    "/regio/GG1106",
    "/meldingen",
    "/bezoeken",
    "/rapporten",
    "/aanbieders",
];

#[tokio::test]
async fn the_key_pages_pass_axe_without_serious_violations() {
    let app = TestApp::spawn().await;
    toezicht::db::demo::load(&app.db).await.expect("demo data");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    assert!(
        std::path::Path::new(dir)
            .join("node_modules/axe-core")
            .exists(),
        "axe-core is missing: run `npm ci --prefix tests/browser`"
    );
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
    std::fs::create_dir_all(shots).expect("screenshot folder");
    let output = tokio::process::Command::new("node")
        .current_dir(dir)
        .args([
            "a11y.js",
            &app.url(""),
            "toezichthouder.twente@toezicht.example",
            toezicht::db::demo::DEMO_PASSWORD,
            shots,
            &PUBLIC.join(","),
            &SIGNED_IN.join(","),
        ])
        .output()
        .await
        .expect("node is needed for the browser test (apt-get install nodejs)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browser run failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_str(stdout.trim()).expect("observations");
    for path in PUBLIC.iter().chain(SIGNED_IN) {
        let page = &seen[*path];
        assert_eq!(page["status"], 200, "{path}");
        assert_eq!(
            page["violations"],
            serde_json::json!([]),
            "serious or critical accessibility problems on {path}"
        );
    }
}
