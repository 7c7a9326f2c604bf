//! The start page: where to file a worry, and where staff sign in.
use axum::extract::Query;
use axum::response::Html;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::error::AppResult;
use crate::web::csrf::CsrfToken;
use crate::web::current_user::MaybeUser;
use crate::web::templates::Layout;

#[derive(Deserialize)]
pub struct HomeQuery {
    uitgelogd: Option<String>,
}

#[derive(Serialize)]
struct HomePage {
    #[serde(flatten)]
    layout: Layout,
    signed_out: bool,
}

pub async fn page(
    axum::extract::State(state): axum::extract::State<AppState>,
    MaybeUser(user): MaybeUser,
    csrf: CsrfToken,
    Query(query): Query<HomeQuery>,
) -> AppResult<(CsrfToken, Html<String>)> {
    let page = HomePage {
        layout: Layout::new("Start", user.as_ref(), &csrf.value, "/"),
        signed_out: query.uitgelogd.is_some() && user.is_none(),
    };
    let html = state.templates.page("home/index", &page)?;
    Ok((csrf, html))
}
