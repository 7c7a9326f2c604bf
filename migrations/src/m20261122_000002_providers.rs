//! Contracted providers (aanbieders). Created with the foundation because provider users point at
//! a provider; the register's API and pages build on this table.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("providers")
                    .col(pk_uuid("id"))
                    .col(string("name"))
                    .col(string_len("kvk_number", 8))
                    .col(string_len_null("agb_code", 8))
                    .col(string("email"))
                    .col(string_null("phone"))
                    .col(string("street"))
                    .col(string_len("house_number", 16))
                    .col(string_len("postcode", 7))
                    .col(string("city"))
                    .col(string_len("municipality_code", 6))
                    // Derived from the municipality's supervising region; kept on the row so that
                    // every region-scoped query filters on one indexed column.
                    .col(string_len("region_code", 6))
                    // JSON array of service codes.
                    .col(text("services"))
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("providers", "municipality_code")
                            .to("municipalities", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("providers", "region_code")
                            .to("regions", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("providers_kvk_postcode_key")
                    .table("providers")
                    .col("kvk_number")
                    .col("postcode")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("providers_region_name_idx")
                    .table("providers")
                    .col("region_code")
                    .col("name")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("providers").to_owned())
            .await
    }
}
