//! The server's own keys: the session-token key and the keys that seal two-factor secrets.
//! Each is configured, or generated once into a private file in the data directory.

use crate::config::{Config, Secret};
use app::crypto::seal::Keyring;
use app::error::AppError;
use std::path::Path;

/// Shortest key accepted, in characters: a generated one has 43 (256 random bits).
const MIN_KEY_CHARS: usize = 32;
const SESSION_KEY_FILE: &str = "session.key";
/// The generated key that seals two-factor secrets when none is configured.
pub const ENCRYPTION_KEY_FILE: &str = "encryption.key";

/// The key for session-token hashes: configured, or generated once into the data directory.
pub fn session_key(config: &Config) -> Result<Vec<u8>, AppError> {
    configured_or_file(
        config,
        config.session_secret.as_ref(),
        "TRELLIS_SESSION_SECRET",
        SESSION_KEY_FILE,
    )
}

/// The keys that seal two-factor secrets: `TRELLIS_ENCRYPTION_KEY` (or the generated key in
/// the data directory) seals; `TRELLIS_ENCRYPTION_KEY_PREVIOUS` (comma-separated) only opens,
/// until start-up has sealed those rows again. A generated key left in the data directory
/// after a key was configured is still read as an earlier key, so moving from the generated
/// key to a configured one needs no other step.
pub fn encryption_keys(config: &Config) -> Result<Keyring, AppError> {
    let current = configured_or_file(
        config,
        config.encryption_key.as_ref(),
        "TRELLIS_ENCRYPTION_KEY",
        ENCRYPTION_KEY_FILE,
    )?;
    // Today's key is tomorrow's earlier key, in a comma-separated list.
    if current.contains(&b',') {
        return Err(AppError::Config(
            "TRELLIS_ENCRYPTION_KEY must not contain commas (earlier keys are listed in \
             TRELLIS_ENCRYPTION_KEY_PREVIOUS, separated by commas)"
                .into(),
        ));
    }
    let mut previous: Vec<Vec<u8>> = Vec::new();
    if let Some(list) = &config.encryption_key_previous {
        for key in list.expose().split(',').map(str::trim) {
            if key.is_empty() {
                continue;
            }
            if key.chars().count() < MIN_KEY_CHARS {
                return Err(AppError::Config(format!(
                    "each key in TRELLIS_ENCRYPTION_KEY_PREVIOUS must be at least \
                     {MIN_KEY_CHARS} characters (they are separated by commas)"
                )));
            }
            previous.push(key.as_bytes().to_vec());
        }
    }
    if config.encryption_key.is_some()
        && let Some(generated) = read_key_file(&config.data_dir.join(ENCRYPTION_KEY_FILE))
    {
        previous.push(generated);
    }
    let previous: Vec<&[u8]> = previous.iter().map(Vec::as_slice).collect();
    Ok(Keyring::new(&current, &previous))
}

fn configured_or_file(
    config: &Config,
    configured: Option<&Secret>,
    setting: &str,
    file: &str,
) -> Result<Vec<u8>, AppError> {
    if let Some(secret) = configured {
        if secret.expose().chars().count() < MIN_KEY_CHARS {
            return Err(AppError::Config(format!(
                "{setting} must be at least {MIN_KEY_CHARS} characters"
            )));
        }
        return Ok(secret.expose().as_bytes().to_vec());
    }
    let path = config.data_dir.join(file);
    if let Some(existing) = read_key_file(&path) {
        return Ok(existing);
    }
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| AppError::Config(format!("cannot create the data directory: {e}")))?;
    let key = app::crypto::token::new_token();
    write_private(&path, &key)
        .map_err(|e| AppError::Config(format!("cannot write {}: {e}", path.display())))?;
    Ok(key.into_bytes())
}

fn read_key_file(path: &Path) -> Option<Vec<u8>> {
    let existing = std::fs::read_to_string(path).ok()?;
    let key = existing.trim();
    (key.chars().count() >= MIN_KEY_CHARS).then(|| key.as_bytes().to_vec())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(dir: &Path, args: &[&str]) -> Config {
        let mut all = vec!["server", "--data-dir", dir.to_str().unwrap()];
        all.extend_from_slice(args);
        crate::config::Cli::parse_from(all).config
    }

    #[test]
    fn the_generated_key_is_kept_and_read_as_an_earlier_key_once_one_is_configured() {
        let dir = std::env::temp_dir().join(format!("trellis-keys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = encryption_keys(&config(&dir, &[])).unwrap();
        let again = encryption_keys(&config(&dir, &[])).unwrap();
        assert_eq!(first.current_id(), again.current_id(), "kept in the file");
        assert!(first.previous_ids().is_empty());

        let configured = "a configured encryption key of 32+ characters";
        let old = "an earlier encryption key (also 32+ characters)";
        let keys = encryption_keys(&config(
            &dir,
            &[
                "--encryption-key",
                configured,
                "--encryption-key-previous",
                &format!("{old}, "),
            ],
        ))
        .unwrap();
        assert_eq!(
            keys.current_id(),
            Keyring::new(configured.as_bytes(), &[]).current_id()
        );
        assert_eq!(
            keys.previous_ids(),
            [
                Keyring::new(old.as_bytes(), &[]).current_id(),
                first.current_id()
            ]
        );
        let comma = encryption_keys(&config(&dir, &["--encryption-key", &format!("{old},")]));
        assert!(
            comma
                .unwrap_err()
                .to_string()
                .contains("must not contain commas")
        );
        let short = encryption_keys(&config(&dir, &["--encryption-key-previous", "short"]));
        let said = short.unwrap_err().to_string();
        assert!(said.contains("TRELLIS_ENCRYPTION_KEY_PREVIOUS") && !said.contains("short"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
