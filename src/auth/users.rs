//! Creating users (command line and demo data), with every rule checked before anything is stored.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::{password, tokens};
use crate::db::entities::{provider, region, user};
use crate::domain::email::Email;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, FieldError};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub region_code: Option<String>,
    pub provider_id: Option<Uuid>,
    pub password: String,
}

/// Checks a new user against the roles' rules and the database; `Validation` names each problem.
pub async fn add_user<C: ConnectionTrait>(db: &C, new: NewUser) -> AppResult<user::Model> {
    let mut errors = Vec::new();
    let email = Email::parse(&new.email)
        .map_err(|msg| errors.push(FieldError::new("email", msg)))
        .ok();
    let name = new.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Vul een naam in."));
    }
    if let Err(msg) = password::check_strength(&new.password) {
        errors.push(FieldError::new("password", msg));
    }
    match (new.role, &new.region_code, new.provider_id) {
        (Role::Admin, None, None) => {}
        (Role::Admin, _, _) => errors.push(FieldError::new(
            "role",
            "Een beheerder hoort niet bij een regio of aanbieder.",
        )),
        (Role::Inspector, Some(code), None) => {
            if region::Entity::find_by_id(code.clone()).one(db).await?.is_none() {
                errors.push(FieldError::new("region", format!("Onbekende GGD-regio {code}.")));
            }
        }
        (Role::Inspector, _, _) => errors.push(FieldError::new(
            "region",
            "Een toezichthouder hoort bij precies één GGD-regio (--region GG…), niet bij een aanbieder.",
        )),
        (Role::Provider, None, Some(id)) => {
            if provider::Entity::find_by_id(id).one(db).await?.is_none() {
                errors.push(FieldError::new("provider", format!("Onbekende aanbieder {id}.")));
            }
        }
        (Role::Provider, _, _) => errors.push(FieldError::new(
            "provider",
            "Een aanbiedergebruiker hoort bij precies één aanbieder (--provider UUID), niet bij een regio.",
        )),
    }
    if let Some(email) = &email
        && user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?
            .is_some()
    {
        errors.push(FieldError::new(
            "email",
            "Er is al een gebruiker met dit e-mailadres.",
        ));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let password_hash = password::hash(&new.password).map_err(AppError::internal)?;
    let created = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(email.as_str().to_string()),
        name: Set(name),
        role: Set(new.role.as_str().to_string()),
        region_code: Set(new.region_code),
        provider_id: Set(new.provider_id),
        password_hash: Set(password_hash),
        calendar_token: Set(tokens::new_token()),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(created)
}
