//! The three roles of signed-in users (API.md "Roles and visibility").
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Inspector,
    Provider,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Inspector => "inspector",
            Role::Provider => "provider",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "admin" => Some(Role::Admin),
            "inspector" => Some(Role::Inspector),
            "provider" => Some(Role::Provider),
            _ => None,
        }
    }

    /// How the role is called in the Dutch interface.
    pub fn label_nl(self) -> &'static str {
        match self {
            Role::Admin => "functioneel beheerder",
            Role::Inspector => "toezichthouder",
            Role::Provider => "aanbieder",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn round_trips_through_its_stored_name() {
        for role in [Role::Admin, Role::Inspector, Role::Provider] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
