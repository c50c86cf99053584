//! Command-line tools beside the server.

use crate::config::Config;
use app::auth::Role;
use app::error::AppError;
use app::features::accounts::repo::{NewAccount, create_with_password};
use std::io::BufRead;

/// The new administrator's password: from TRELLIS_ADMIN_PASSWORD, else one line of stdin.
pub fn read_admin_password(email: &str) -> Result<String, AppError> {
    if let Ok(p) = std::env::var("TRELLIS_ADMIN_PASSWORD") {
        return Ok(p);
    }
    eprintln!("Password for {email} (at least 12 characters), then Enter:");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| AppError::Config(format!("cannot read the password: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `server create-admin`: creates an administrator (first run, or recovery).
pub async fn create_admin(
    config: &Config,
    email: &str,
    name: &str,
    password: String,
) -> Result<(), AppError> {
    let db = crate::startup::open_database(config).await?;
    let account = NewAccount {
        role: Role::Admin,
        display_name: name,
        email,
        password,
    };
    let result = create_with_password(&db, account, false, None, None).await;
    db.close().await;
    result?;
    println!(
        "Created administrator {email}. Sign in at {}",
        config.public_url()
    );
    Ok(())
}
