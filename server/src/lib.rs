//! The Trellis server: configuration, start-up, OIDC routes and command-line tools.
//! Thin by design: pages, server functions and SQL live in the `app` crate.

pub mod cli;
pub mod config;
pub mod health;
pub mod held;
pub mod keys;
pub mod mail;
pub mod oidc;
pub mod return_to;
pub mod security;
pub mod seed;
pub mod startup;

use config::{Cli, Command};

/// Parses the command line and environment, then serves or runs a tool.
pub async fn run(cli: Cli) -> Result<(), app::error::AppError> {
    match cli.command {
        None | Some(Command::Serve) => startup::serve(cli.config).await,
        Some(Command::CreateAdmin { email, name }) => {
            let password = cli::read_admin_password(&email)?;
            cli::create_admin(&cli.config, &email, &name, password).await
        }
        Some(Command::Backup { file }) => {
            println!("{}", cli::backup(&cli.config, &file).await?);
            Ok(())
        }
        Some(Command::Restore { file }) => {
            println!("{}", cli::restore(&cli.config, &file).await?);
            Ok(())
        }
        Some(Command::SeedPractice { couples, seed }) => {
            seed::seed_practice(&cli.config, app::seed::Plan { couples, seed }).await
        }
    }
}

/// Logs to stderr, `info` by default (override with `RUST_LOG`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
