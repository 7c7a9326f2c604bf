//! Reports (onderzoeksrapporten): created in `concept` when a visit is completed; sending,
//! the provider's response and finalising follow in this area.
pub mod reminders;
pub mod view;
