//! Integration tests: one binary, every test on a fresh database, each run on SQLite and on
//! PostgreSQL.

mod actions;
mod helpers;
mod practice;

mod admin;
mod agreement_keeping;
mod agreements;
mod auth;
mod backup;
mod cases;
mod consent;
mod counselor_only;
mod crash;
mod first_run;
mod homework;
mod homework_roles;
mod hostile;
mod invitations;
mod messages;
mod mfa;
mod note_access;
mod oidc;
mod own_data;
mod platform;
mod privacy;
mod program;
mod progress;
mod reminders;
mod reports;
mod safety;
mod safety_items;
mod seed;
mod sessions;
mod smtp;
mod throttle;
