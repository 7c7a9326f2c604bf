//! `code_enum!`: an enum whose values are Dutch snake_case codes (the API's enum values), with
//! their labels for people, parsing, and the list of codes.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// How a person reads it.
            pub fn label_nl(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<$name> {
                match value { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The codes, for an "expected one of" message.
            pub fn codes() -> String {
                [$($code),+].join(", ")
            }
        }
    };
}

pub(crate) use code_enum;
