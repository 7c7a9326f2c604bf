//! `serve --demo`: a first look at a living application. Loaded once (each record is only added
//! when it is missing), in one transaction, with fixed sign-in details printed at every start.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use uuid::Uuid;

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
    let txn = db.begin().await?;
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
    txn.commit().await?;
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
