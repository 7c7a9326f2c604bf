//! Visits (inspectiebezoeken): planning, assessment against the framework, completion.
pub mod scoring;
