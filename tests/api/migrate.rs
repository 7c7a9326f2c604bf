//! `db::migrate`: a migration that fails leaves nothing of itself behind, so that once the
//! cause is gone the next start migrates as if it had never been tried.
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::helpers::TestDb;

async fn has_table(db: &DatabaseConnection, table: &str) -> bool {
    db.execute_unprepared(&format!("SELECT 1 FROM {table} WHERE 1 = 0"))
        .await
        .is_ok()
}

#[tokio::test]
async fn a_failed_migration_leaves_nothing_half_done() {
    let test_db = TestDb::create().await;
    let db = toezicht::db::connect(&test_db.url).await.unwrap();
    // In the way of migration 000018's second table; its first, provider_risks, is created
    // before the failing statement.
    db.execute_unprepared("CREATE TABLE provider_risk_changes (obstacle INTEGER)")
        .await
        .unwrap();

    let failed = toezicht::db::migrate(&db).await;

    assert!(failed.is_err(), "the migration should have failed");
    assert!(
        !has_table(&db, "provider_risks").await,
        "the failed migration's first table is still there"
    );

    db.execute_unprepared("DROP TABLE provider_risk_changes")
        .await
        .unwrap();
    toezicht::db::migrate(&db)
        .await
        .expect("migrates once the obstacle is gone");
    assert!(has_table(&db, "provider_risks").await);
    assert!(has_table(&db, "provider_risk_changes").await);
    assert!(has_table(&db, "signals").await);
}
