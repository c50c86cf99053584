//! Each role's home page: what someone sees first after signing in.

pub mod ui;
