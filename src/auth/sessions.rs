//! Sign-in, sessions and the throttle, as small functions over a connection.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::auth::{password, throttle, tokens};
use crate::db::entities::{login_failure, session, user};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::web::current_user::CurrentUser;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Api,
    Web,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Api => "api",
            SessionKind::Web => "web",
        }
    }
}

pub struct SignedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

/// Checks the throttle, then the password; records a failure or starts a session.
/// A wrong email and a wrong password give the same error.
pub async fn sign_in(
    db: &DatabaseConnection,
    email: &str,
    password_input: &str,
    kind: SessionKind,
    ttl_hours: u32,
) -> AppResult<SignedIn> {
    let email_key = email.trim().to_lowercase();
    let now = Utc::now();
    let recent: Vec<DateTime<Utc>> = login_failure::Entity::find()
        .select_only()
        .column(login_failure::Column::FailedAt)
        .filter(login_failure::Column::Email.eq(&email_key))
        .filter(login_failure::Column::FailedAt.gt(throttle::window_start(now)))
        .order_by_desc(login_failure::Column::FailedAt)
        .limit(throttle::MAX_FAILURES as u64)
        .into_tuple()
        .all(db)
        .await?;
    if let Some(retry_after_secs) = throttle::retry_after(&recent, now) {
        return Err(AppError::TooManyRequests { retry_after_secs });
    }

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email_key))
        .one(db)
        .await?;
    let verified = match &found {
        Some(u) => password::verify(&u.password_hash, password_input) && u.active,
        None => {
            password::verify_against_dummy(password_input);
            false
        }
    };
    let Some(user) = found.filter(|_| verified) else {
        record_failure(db, &email_key, now).await?;
        return Err(AppError::InvalidCredentials);
    };

    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Email.eq(&email_key))
        .exec(db)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let token = tokens::new_token();
    let expires_at = now + Duration::hours(i64::from(ttl_hours));
    session::ActiveModel {
        token_hash: Set(tokens::hash_token(&token)),
        user_id: Set(user.id),
        kind: Set(kind.as_str().to_string()),
        created_at: Set(now),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await?;
    Ok(SignedIn {
        token,
        expires_at,
        user,
    })
}

async fn record_failure(
    db: &DatabaseConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    // Keep the table small: what lies outside the window no longer counts.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Email.eq(email_key))
        .filter(login_failure::Column::FailedAt.lte(throttle::window_start(now)))
        .exec(db)
        .await?;
    login_failure::ActiveModel {
        email: Set(email_key.to_string()),
        failed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The user behind a live session token, if any.
pub async fn user_for_token(
    db: &DatabaseConnection,
    token: &str,
) -> AppResult<Option<CurrentUser>> {
    if !tokens::looks_like_token(token) {
        return Ok(None);
    }
    let token_hash = tokens::hash_token(token);
    // One query for the session and its user: every signed-in request asks this.
    let Some(user) = user::Entity::find()
        .join(JoinType::InnerJoin, session_user().rev())
        .filter(session::Column::TokenHash.eq(token_hash.clone()))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let role = Role::parse(&user.role).ok_or_else(|| AppError::internal("unknown role stored"))?;
    Ok(Some(CurrentUser {
        id: user.id,
        email: user.email,
        name: user.name,
        role,
        region_code: user.region_code,
        provider_id: user.provider_id,
        calendar_token: user.calendar_token,
        session_hash: token_hash,
    }))
}

/// The entities declare no relations, so the join is spelt out here.
fn session_user() -> sea_orm::RelationDef {
    session::Entity::belongs_to(user::Entity)
        .from(session::Column::UserId)
        .to(user::Column::Id)
        .into()
}

pub async fn end_session(db: &DatabaseConnection, session_hash: &str) -> AppResult<()> {
    session::Entity::delete_by_id(session_hash.to_string())
        .exec(db)
        .await?;
    Ok(())
}
