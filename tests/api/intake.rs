//! The intake writer (`signals::intake`): filings that arrive together are written together,
//! and one that cannot be written fails alone.
use chrono::Utc;
use futures_util::future::join_all;
use sea_orm::{EntityTrait, PaginatorTrait};
use toezicht::db::entities::{signal, signal_event};
use toezicht::signals::intake::Pending;
use uuid::Uuid;

use crate::helpers::TestApp;

fn pending(provider_id: Uuid, region: &str) -> Pending {
    let now = Utc::now();
    Pending {
        signal: signal::Model {
            id: Uuid::new_v4(),
            reference: String::new(),
            tracking_token_hash: format!("hash-{}", Uuid::new_v4()),
            status: "ontvangen".into(),
            priority: "normaal".into(),
            category: "bejegening".into(),
            description: "De begeleiding komt steeds te laat.".into(),
            occurred_on: None,
            reporter_role: "client".into(),
            anonymous: true,
            contact_name: None,
            contact_email: None,
            provider_id: Some(provider_id),
            provider_name: None,
            municipality_code: Some("GM0153".into()),
            region_code: region.into(),
            assignee_id: None,
            visit_id: None,
            resolution: None,
            duplicate_of: None,
            filed_by: None,
            calamity: None,
            received_at: now,
            triage_due: now.date_naive(),
            closed_at: None,
            contact_erased_at: None,
            updated_at: now,
        },
        year: 2026,
        attempt: None,
    }
}

#[tokio::test]
async fn filings_written_together_each_get_their_own_number_and_a_bad_one_fails_alone() {
    let app = TestApp::spawn().await;
    let provider = app
        .insert_provider("Thuiszorg Het Anker", "GM0153", "GG1106")
        .await;
    // Eleven good filings and, among them, one about a provider that does not exist (the
    // database refuses it: a foreign key), all at once.
    let mut batch: Vec<Pending> = (0..11).map(|_| pending(provider, "GG1106")).collect();
    batch.insert(5, pending(Uuid::new_v4(), "GG1106"));
    let intake = &app.state.intake;
    let results = join_all(batch.into_iter().map(|p| intake.file(p))).await;

    assert!(results[5].is_err(), "the filing about no provider fails");
    let mut references: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|s| s.reference.clone())
        .collect();
    assert_eq!(references.len(), 11, "the others are written");
    references.sort();
    references.dedup();
    assert_eq!(
        references.len(),
        11,
        "every one its own number: {references:?}"
    );
    assert_eq!(signal::Entity::find().count(&app.db).await.unwrap(), 11);
    assert_eq!(
        signal_event::Entity::find().count(&app.db).await.unwrap(),
        11,
        "each with its first history entry"
    );
}

#[tokio::test]
async fn a_filing_gets_a_time_ordered_id_and_so_does_its_history() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let response = app
            .post_json("/api/v1/signals", &crate::signals::signal_body(None), None)
            .await;
        assert_eq!(response.status(), 201);
    }
    for row in signal::Entity::find().all(&app.db).await.unwrap() {
        ids.push((row.received_at, row.id));
    }
    ids.sort();
    // Version 7: the id grows with the time of filing, so the indexes on it are added to at
    // their end (`signals::create`).
    assert!(
        ids.iter().all(|(_, id)| id.get_version_num() == 7),
        "{ids:?}"
    );
    assert!(ids.windows(2).all(|w| w[0].1 < w[1].1), "{ids:?}");
    let events = signal_event::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.id.get_version_num() == 7));
}
