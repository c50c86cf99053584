//! Command-line tools beside the server.

use crate::config::Config;
use app::auth::Role;
use app::error::AppError;
use app::features::accounts::repo::{NewAccount, create_with_password};
use std::io::BufRead;

/// `server create-admin`: creates an administrator (first run, or recovery).
pub async fn create_admin(config: &Config, email: &str, name: &str) -> Result<(), AppError> {
    let password = match std::env::var("TRELLIS_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Password for {email} (at least 12 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| AppError::Config(format!("cannot read the password: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
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
