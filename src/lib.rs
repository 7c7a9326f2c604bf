//! `toezicht`: supervision of Wmo care providers by a Dutch GGD.
pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod framework;
pub mod mail;
pub mod portal;
pub mod providers;
pub mod regions;
pub mod signals;
pub mod telemetry;
pub mod visits;
pub mod web;
