//! What the inspector's signal pages share: select options, Dutch labels, the staff check.
use serde::Serialize;

use crate::domain::role::Role;
use crate::error::AppResult;
use crate::signals::queries::Scope;
use crate::web::current_user::CurrentUser;

#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: code(*v).into(),
            label: label(*v).into(),
            selected: code(*v) == selected,
        })
        .collect()
}

pub fn label_of<T: Copy>(
    value: &str,
    parse: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> &'static str {
    parse(value).map_or("", label)
}

pub fn staff(user: &CurrentUser) -> AppResult<Scope> {
    user.require_role(&[Role::Admin, Role::Inspector])?;
    Ok(Scope::of(user))
}
