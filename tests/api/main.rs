//! Integration tests: one binary, each test against the real app on its own database.
mod auth;
mod cli;
mod conventions;
mod helpers;
mod html;
mod provider_pages;
mod providers;
mod regions;
