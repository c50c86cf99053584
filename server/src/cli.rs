//! Command-line tools beside the server.

use crate::config::Config;
use app::auth::Role;
use app::error::AppError;
use app::features::accounts::repo::{NewAccount, create_with_password};
use std::io::BufRead;
use std::path::{Path, PathBuf};

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

/// What to use instead on PostgreSQL, whose own tools do this job best.
const POSTGRES_TOOLS: &str = "Trellis is using PostgreSQL: back it up with PostgreSQL's own tools, \
    e.g. `pg_dump --format=custom --file=trellis.dump DATABASE_URL`, and restore into an empty \
    database with `pg_restore --no-owner --dbname=DATABASE_URL trellis.dump`.";

/// The SQLite file behind `config`, or the advice for PostgreSQL.
fn sqlite_file(config: &Config) -> Result<PathBuf, AppError> {
    let url = config.database_url();
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Err(AppError::Config(POSTGRES_TOOLS.into()));
    };
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn failed(what: &str) -> impl Fn(sqlx::Error) -> AppError + '_ {
    move |e| AppError::Config(format!("{what}: {e}"))
}

/// Opens a SQLite file on its own, read-only, and checks it is a sound Trellis database.
/// Returns its number of accounts.
async fn check_copy(file: &Path) -> Result<i64, AppError> {
    use sqlx::Connection;
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .map_err(failed("cannot open the backup"))?;
    let integrity: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(failed("cannot check the backup"))?;
    if integrity != "ok" {
        return Err(AppError::Config(format!(
            "{} is damaged (integrity check: {integrity})",
            file.display()
        )));
    }
    let accounts: i64 = sqlx::query_scalar("select count(*) from app_user")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| AppError::Config(format!("{} is not a Trellis database", file.display())))?;
    conn.close().await.ok();
    Ok(accounts)
}

/// `server backup FILE`: a consistent copy of the SQLite database, taken while Trellis keeps
/// serving (SQLite's `VACUUM INTO` reads one snapshot). Never overwrites a file.
pub async fn backup(config: &Config, file: &Path) -> Result<String, AppError> {
    sqlite_file(config)?;
    if file.exists() {
        return Err(AppError::Config(format!(
            "{} already exists; a backup never overwrites a file, so choose a new name",
            file.display()
        )));
    }
    let db = crate::startup::open_database(config).await?;
    let result = sqlx::query("vacuum into $1")
        .bind(file.display().to_string())
        .execute(db.writer())
        .await
        .map_err(failed("the backup failed"));
    db.close().await;
    result?;
    let accounts = check_copy(file).await?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "Backed up to {} ({} KB, {accounts} accounts, integrity ok).",
        file.display(),
        bytes / 1024
    ))
}

/// `server restore FILE`: replaces the SQLite database with a backup, with Trellis stopped.
/// The database it replaces is kept beside it, renamed, so nothing is lost.
pub async fn restore(config: &Config, file: &Path) -> Result<String, AppError> {
    let target = sqlite_file(config)?;
    if std::net::TcpListener::bind(config.site_addr).is_err() {
        return Err(AppError::Config(format!(
            "something is listening on {}: stop Trellis before restoring",
            config.site_addr
        )));
    }
    let accounts = check_copy(file).await?;
    let io = |what: &'static str| move |e: std::io::Error| AppError::Config(format!("{what}: {e}"));
    let mut kept = None;
    if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = PathBuf::from(format!("{}.before-restore-{stamp}", target.display()));
        // The write-ahead log moves with its database, so the old pair still opens.
        for suffix in ["-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", target.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}{suffix}", aside.display()))
                    .map_err(io("cannot move the old database aside"))?;
            }
        }
        std::fs::rename(&target, &aside).map_err(io("cannot move the old database aside"))?;
        kept = Some(aside);
    }
    let partial = PathBuf::from(format!("{}.restoring", target.display()));
    std::fs::copy(file, &partial).map_err(io("cannot copy the backup"))?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io("cannot write the restored database"))?;
    std::fs::rename(&partial, &target).map_err(io("cannot put the restored database in place"))?;
    // Brings an older backup's schema up to date.
    let db = crate::startup::open_database(config).await?;
    db.close().await;
    Ok(match kept {
        Some(aside) => format!(
            "Restored {} ({accounts} accounts). The database it replaced is kept as {}.",
            file.display(),
            aside.display()
        ),
        None => format!("Restored {} ({accounts} accounts).", file.display()),
    })
}
