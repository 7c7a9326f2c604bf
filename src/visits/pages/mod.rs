//! The inspector's visit pages: agenda, planning form, the visit, and the tablet assessment.
pub mod agenda_query;
pub mod assess;
pub mod common;
pub mod detail;
pub mod export;
pub mod form;
pub mod list;
pub mod week;
