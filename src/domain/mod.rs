//! Pure domain rules and value types, parsed at the edge and unit-tested here.
pub mod address;
pub mod code_enum;
pub mod email;
pub mod identifiers;
pub mod local_time;
pub mod phone;
pub mod role;
pub mod service;
pub mod text;
pub mod working_days;
