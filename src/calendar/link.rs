//! `POST /account/agenda-link`: an inspector replaces the secret feed address, for when it
//! may have reached someone else. The old address stops working at once.
use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Redirect;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde::Deserialize;

use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::auth::tokens;
use crate::db::entities::user;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::current_user::CurrentUser;

/// Where the account page says that the link was replaced.
pub const RENEWED: &str = "/account?nieuwe-agenda-link=1";

#[derive(Debug, Default, Deserialize)]
pub struct RenewForm {}

pub async fn renew(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<RenewForm>,
) -> AppResult<Redirect> {
    user.require_role(&[Role::Inspector])?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = user::Entity::find_by_id(user.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .into_active_model();
    active.calendar_token = Set(tokens::new_token());
    active.update(&txn).await?;
    // The entry says that it happened, never the token: the log is readable by more people
    // than the feed is meant for.
    audit::record(
        &txn,
        &Actor::from(&user),
        "user.calendar_link_renewed",
        "user",
        &user.id.to_string(),
        BTreeMap::new(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, "calendar link renewed");
    Ok(Redirect::to(RENEWED))
}
