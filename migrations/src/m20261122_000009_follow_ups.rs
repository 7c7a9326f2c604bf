//! A follow-up visit (heronderzoek) checks the open improvement points of an earlier report: the
//! visit records which points, so its page and the later report can say what was re-examined.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("visit_improvement_points")
                    .col(uuid("visit_id"))
                    .col(uuid("improvement_point_id"))
                    .primary_key(Index::create().col("visit_id").col("improvement_point_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_improvement_points", "visit_id")
                            .to("visits", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("visit_improvement_points", "improvement_point_id")
                            .to("improvement_points", "id"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("visit_improvement_points").to_owned())
            .await
    }
}
