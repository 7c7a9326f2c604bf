//! The save-as-you-go script in a real browser (Chromium through `tests/browser/assessment.js`):
//! a tap saves at once, a finding typed without a connection stays on the tablet, and after the
//! page is closed and reopened online the draft is restored and stored — except a change the
//! server has meanwhile received a newer rating for, which is dropped with a message. Without node, the
//! `playwright-core` package (`npm ci --prefix tests/browser`) or Chromium the test fails with
//! the reason; `.ci/run` installs them.
use serde_json::{Value, json};
use toezicht::domain::role::Role;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn a_finding_typed_offline_survives_closing_the_page_and_reaches_the_server() {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    let inspector = app
        .add_user("tablet@ggd.example", Role::Inspector, Some("GG1106"), None)
        .await;
    let token = app.token_for("tablet@ggd.example").await;
    let now = chrono::Utc::now();
    let response = app
        .post_json(
            "/api/v1/visits",
            &json!({"provider_id": provider, "inspector_ids": [inspector], "announced": true, "reason": "proactief",
                    "starts_at": (now - chrono::Duration::hours(2)).to_rfc3339(),
                    "ends_at": (now - chrono::Duration::hours(1)).to_rfc3339()}),
            Some(&token),
        )
        .await;
    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    let id = visit["id"].as_str().unwrap().to_string();

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    assert!(
        std::path::Path::new(dir)
            .join("node_modules/playwright-core")
            .exists(),
        "playwright-core is missing: run `npm ci --prefix tests/browser`"
    );
    let base = app.url("");
    let output = tokio::process::Command::new("node")
        .current_dir(dir)
        .args([
            "assessment.js",
            &base,
            "tablet@ggd.example",
            PASSWORD,
            &id,
            &token,
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

    assert_eq!(
        seen["overall_after_a1"], "100%",
        "the score follows the tap"
    );
    assert_eq!(
        seen["a2_without_finding"],
        "Vul een bevinding in; daarna wordt dit criterium opgeslagen."
    );
    assert!(
        seen["offline_status"]
            .as_str()
            .unwrap()
            .starts_with("Geen verbinding. Uw invoer is op dit apparaat bewaard")
    );
    assert_eq!(
        seen["draft_keys"],
        json!(["A2", "A3"]),
        "kept on the device"
    );
    assert_eq!(seen["colleague_status"], 200);
    assert!(
        seen["after_reopen_status"]
            .as_str()
            .unwrap()
            .starts_with("Alles opgeslagen")
    );
    assert_eq!(seen["after_reopen_overall"], "66,7%", "(2 + 0 + 2) / 6");
    assert_eq!(
        seen["a3_status"],
        "Een wijziging op dit apparaat is niet verstuurd: intussen is hier een ander oordeel opgeslagen.",
        "a stale draft does not overwrite a newer rating"
    );
    assert_eq!(seen["a3_shows_server"], true);
    assert_eq!(seen["draft_left"], 0, "nothing left once stored");
    assert_eq!(seen["reloaded_a2"], true);
    assert_eq!(
        seen["reloaded_finding"],
        "Het rooster van de begeleiders ontbreekt."
    );

    let stored: Value = app
        .get(&format!("/api/v1/visits/{id}/assessment"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        stored["ratings"],
        json!([
            {"criterion": "A1", "rating": "voldoet", "finding": null},
            {"criterion": "A2", "rating": "voldoet_niet", "finding": "Het rooster van de begeleiders ontbreekt."},
            {"criterion": "A3", "rating": "voldoet", "finding": null}
        ])
    );
}
