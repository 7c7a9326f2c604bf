//! The assessment framework (*toetsingskader*) as versioned data. A published version is never
//! changed or deleted: visits will store the version they were scored against, so old scores keep
//! pointing at the criteria they were given for. Exactly one version is current.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("framework_versions")
                    .col(pk_uuid("id"))
                    // The name people know it by, e.g. "Model toetsingskader Wmo v1".
                    .col(string_len("version", 200).unique_key())
                    .col(timestamp_with_time_zone("published_at"))
                    // Null for the seeded version, which nobody published.
                    .col(uuid_null("published_by"))
                    .col(boolean("is_current").default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from("framework_versions", "published_by")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // At most one current version, enforced by the database as well as by the publishing
        // transaction, so two admins publishing at once cannot leave two current versions.
        manager
            .create_index(
                Index::create()
                    .name("framework_versions_one_current")
                    .table("framework_versions")
                    .col("is_current")
                    .unique()
                    .and_where(Expr::col("is_current").eq(true))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("framework_themes")
                    .col(pk_uuid("id"))
                    .col(uuid("version_id"))
                    .col(string_len("code", 3))
                    .col(string_len("title", 200))
                    .col(string_len("legal_basis", 200))
                    .col(integer("position"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("framework_themes", "version_id")
                            .to("framework_versions", "id"),
                    )
                    .index(
                        Index::create()
                            .name("framework_themes_version_code_key")
                            .col("version_id")
                            .col("code")
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("framework_criteria")
                    .col(pk_uuid("id"))
                    .col(uuid("version_id"))
                    .col(uuid("theme_id"))
                    .col(string_len("code", 16))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(integer("position"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("framework_criteria", "version_id")
                            .to("framework_versions", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("framework_criteria", "theme_id")
                            .to("framework_themes", "id"),
                    )
                    .index(
                        Index::create()
                            .name("framework_criteria_version_code_key")
                            .col("version_id")
                            .col("code")
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("framework_ratings")
                    .col(uuid("version_id"))
                    // One of the contract's codes: voldoet, voldoet_deels, voldoet_niet,
                    // niet_beoordeeld, nvt.
                    .col(string_len("code", 32))
                    .col(string_len("label", 100))
                    // Null for ratings that do not count (niet beoordeeld, n.v.t.).
                    .col(integer_null("points"))
                    .col(integer("position"))
                    .primary_key(Index::create().col("version_id").col("code"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("framework_ratings", "version_id")
                            .to("framework_versions", "id"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "framework_ratings",
            "framework_criteria",
            "framework_themes",
            "framework_versions",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
