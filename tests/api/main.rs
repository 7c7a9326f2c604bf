//! Integration tests: one binary, each test against the real app on its own database.
mod auth;
mod cli;
mod conventions;
mod framework;
mod framework_pages;
mod helpers;
mod html;
mod mail;
mod mail_admin;
mod portal;
mod provider_pages;
mod providers;
mod regions;
mod signal_pages;
mod signal_staff_pages;
mod signals;
mod smtp_sink;
