//! `serve --demo`: a first look at a living application. Loaded once (each record is only added
//! when it is missing), in one transaction, with fixed sign-in details printed at every start.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use crate::audit::Actor;
use crate::auth::users::{self, NewUser};
use crate::db::entities::{provider, user};
use crate::domain::role::Role;
use crate::error::AppResult;

/// Demo accounts share one password; it is printed at start and in the README.
pub const DEMO_PASSWORD: &str = "demo-toezicht-2026";

/// The provider the demo provider user belongs to; a fixed id keeps the load idempotent.
pub const DEMO_PROVIDER_ID: Uuid = Uuid::from_u128(0x6d0e_1a2b_0000_4000_8000_0000_0000_0001);

pub struct DemoLogin {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub region_code: Option<&'static str>,
}

pub const DEMO_LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        email: "beheerder@toezicht.example",
        name: "Fatima El Amrani",
        role: Role::Admin,
        region_code: None,
    },
    DemoLogin {
        email: "toezichthouder.twente@toezicht.example",
        name: "Bram Oude Luttikhuis",
        role: Role::Inspector,
        region_code: Some("GG1106"),
    },
    DemoLogin {
        email: "toezichthouder.haaglanden@toezicht.example",
        name: "Sanne de Wit",
        role: Role::Inspector,
        region_code: Some("GG7014"),
    },
    DemoLogin {
        email: "kwaliteit@delinde.example",
        name: "Henk Nijhuis",
        role: Role::Provider,
        region_code: None,
    },
];

pub async fn load(db: &DatabaseConnection) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    if provider::Entity::find_by_id(DEMO_PROVIDER_ID)
        .one(&txn)
        .await?
        .is_none()
    {
        let now = Utc::now();
        provider::ActiveModel {
            id: Set(DEMO_PROVIDER_ID),
            name: Set("Zorggroep De Linde".into()),
            kvk_number: Set("61234570".into()),
            agb_code: Set(Some("98012345".into())),
            email: Set("kwaliteit@delinde.example".into()),
            phone: Set(Some("053 480 1200".into())),
            street: Set("Lindenlaan".into()),
            house_number: Set("12a".into()),
            postcode: Set("7522 AB".into()),
            city: Set("Enschede".into()),
            municipality_code: Set("GM0153".into()),
            region_code: Set("GG1106".into()),
            services: Set(r#"["begeleiding","dagbesteding","beschermd_wonen"]"#.into()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            last_visit_at: Set(None),
        }
        .insert(&txn)
        .await?;
        crate::db::entities::provider_contract::ActiveModel {
            provider_id: Set(DEMO_PROVIDER_ID),
            municipality_code: Set("GM0153".into()),
        }
        .insert(&txn)
        .await?;
    }
    for login in &DEMO_LOGINS {
        let exists = user::Entity::find()
            .filter(user::Column::Email.eq(login.email))
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            users::add_user(
                &txn,
                NewUser {
                    email: login.email.into(),
                    name: login.name.into(),
                    role: login.role,
                    region_code: login.region_code.map(str::to_string),
                    provider_id: (login.role == Role::Provider).then_some(DEMO_PROVIDER_ID),
                    password: DEMO_PASSWORD.into(),
                },
            )
            .await?;
        }
    }
    load_demo_providers(&txn).await?;
    crate::db::demo_signals::load(&txn, DEMO_PROVIDER_ID).await?;
    // After the signals, so that visits made because of a signal can link it.
    crate::db::demo_visits::load(&txn, DEMO_PROVIDER_ID).await?;
    // The demo's visits were written as they are, not completed one by one.
    crate::visits::summaries::rebuild(&txn).await?;
    txn.commit().await?;
    Ok(())
}

const DEMO_PROVIDERS_CSV: &[u8] = include_bytes!("../../fixtures/demo/aanbieders.csv");

/// The demo register, read through the same checks as any imported spreadsheet; providers that
/// are already there (same KvK number and postcode) are left as they are.
async fn load_demo_providers<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    let index = crate::regions::queries::municipality_index(db).await?;
    let checked = crate::providers::csv_io::check_rows(DEMO_PROVIDERS_CSV, &index);
    if let Some(problem) = checked.file_error.or_else(|| {
        checked
            .errors
            .first()
            .map(|e| format!("regel {}: {:?}", e.line, e.messages))
    }) {
        return Err(crate::error::AppError::internal(format!(
            "demo providers fixture: {problem}"
        )));
    }
    let actor = Actor {
        id: None,
        name: "demogegevens".into(),
    };
    for (_, data) in &checked.valid {
        let exists = provider::Entity::find()
            .filter(provider::Column::KvkNumber.eq(data.kvk_number.as_str()))
            .filter(provider::Column::Postcode.eq(data.postcode.as_str()))
            .one(db)
            .await?
            .is_some();
        if !exists {
            crate::providers::queries::create_in(db, &actor, data).await?;
        }
    }
    Ok(())
}

/// The sign-in table printed by `serve --demo`.
pub fn sign_in_table(base_url: &str) -> String {
    let mut out = format!(
        "\nDemo-gebruikers (wachtwoord voor allen: {DEMO_PASSWORD}), inloggen op {base_url}/login\n"
    );
    for login in &DEMO_LOGINS {
        let scope = match (login.role, login.region_code) {
            (Role::Provider, _) => " (Zorggroep De Linde, Enschede)".to_string(),
            (_, Some(code)) => format!(" ({code})"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {:<44} {}{}\n",
            login.email,
            login.role.label_nl(),
            scope
        ));
    }
    out
}
