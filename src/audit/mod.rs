//! The audit log: who changed what, when. Written in the same transaction as the change, so a
//! change never lands without its entry.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::db::entities::audit_entry;
use crate::error::AppResult;
use crate::web::current_user::CurrentUser;

/// Who made a change: a signed-in user, or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub name: String,
}

impl Actor {
    pub fn command_line() -> Actor {
        Actor {
            id: None,
            name: "opdrachtregel".into(),
        }
    }
}

impl From<&CurrentUser> for Actor {
    fn from(user: &CurrentUser) -> Self {
        Actor {
            id: Some(user.id),
            name: user.name.clone(),
        }
    }
}

/// Field-by-field differences between two JSON snapshots: `{"field": {"old": …, "new": …}}`.
/// Unchanged fields are left out; a creation diffs against `Value::Null`.
pub fn diff(old: &Value, new: &Value) -> BTreeMap<String, Value> {
    let empty = serde_json::Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut changes = BTreeMap::new();
    for key in old.keys().chain(new.keys()) {
        let before = old.get(key).unwrap_or(&Value::Null);
        let after = new.get(key).unwrap_or(&Value::Null);
        if before != after && !changes.contains_key(key) {
            changes.insert(key.clone(), json!({"old": before, "new": after}));
        }
    }
    changes
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    changes: BTreeMap<String, Value>,
) -> AppResult<()> {
    audit_entry::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(Utc::now()),
        actor_id: Set(actor.id),
        actor_name: Set(actor.name.clone()),
        action: Set(action.to_string()),
        entity_type: Set(entity_type.to_string()),
        entity_id: Set(entity_id.to_string()),
        changes: Set(serde_json::to_string(&changes).unwrap_or_else(|_| "{}".into())),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The entries about one record, newest first.
pub async fn for_entity<C: ConnectionTrait>(
    db: &C,
    entity_type: &str,
    entity_id: &str,
) -> AppResult<Vec<audit_entry::Model>> {
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq(entity_type))
        .filter(audit_entry::Column::EntityId.eq(entity_id))
        .order_by_desc(audit_entry::Column::At)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::diff;
    use serde_json::json;

    #[test]
    fn diff_lists_only_changed_fields() {
        let old = json!({"name": "A", "email": "a@x.nl", "phone": null});
        let new = json!({"name": "B", "email": "a@x.nl", "phone": "0534801200"});
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes["name"], json!({"old": "A", "new": "B"}));
        assert_eq!(changes["phone"], json!({"old": null, "new": "0534801200"}));
    }

    #[test]
    fn a_creation_shows_every_field_as_new() {
        let changes = diff(&serde_json::Value::Null, &json!({"name": "A"}));
        assert_eq!(changes["name"], json!({"old": null, "new": "A"}));
    }
}
