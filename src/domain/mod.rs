//! Pure domain rules and value types, parsed at the edge and unit-tested here.
pub mod email;
pub mod role;
pub mod text;
