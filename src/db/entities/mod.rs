//! Table mappings in sea-orm's generated style: data only, no behaviour.
pub mod audit_entry;
pub mod framework_criterion;
pub mod framework_rating;
pub mod framework_theme;
pub mod framework_version;
pub mod login_failure;
pub mod municipality;
pub mod outbox_message;
pub mod provider;
pub mod provider_contract;
pub mod reference_counter;
pub mod region;
pub mod session;
pub mod signal;
pub mod signal_event;
pub mod signal_submission;
pub mod user;
