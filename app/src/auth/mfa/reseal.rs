//! At start-up: seal every two-factor secret not yet under the current key.

use crate::crypto::seal::{Keyring, Unreadable};

/// What start-up found and did: rows sealed (again) under the current key, and rows it
/// could not open, by reason. Ids only; never a secret.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Stored in plain text before sealing existed, now sealed.
    pub from_plain: u64,
    /// Sealed under an earlier key, now sealed under the current one.
    pub from_previous: u64,
    /// Rows sealed under keys this server was not given: (key id, rows).
    pub unknown_keys: Vec<(String, u64)>,
    /// Rows that do not open under their (known) key, or are in no known format.
    pub unreadable: u64,
}

/// Seals every secret not yet under the current key: plain ones from before sealing and
/// ones under an earlier key. Row by row, each a compare-and-set, so it is idempotent and
/// safe while other servers start or people set up two-factor. Rows it cannot open are left
/// as they are (and reported), so configuring the missing key later still recovers them.
pub async fn reseal_all(db: &crate::db::Db, keys: &Keyring) -> Result<Resealed, sqlx::Error> {
    let mut report = Resealed::default();
    for (user_id, stored) in super::repo::all_secrets(db.pool()).await? {
        match keys.open(&user_id, &stored) {
            Ok(opened) if opened.current => {}
            Ok(opened) => {
                let sealed = keys.seal(&user_id, &opened.secret);
                if super::repo::replace_sealed(db.writer(), &user_id, &stored, &sealed).await? {
                    if opened.plain {
                        report.from_plain += 1;
                    } else {
                        report.from_previous += 1;
                    }
                }
            }
            Err(Unreadable::UnknownKey(id)) => {
                match report.unknown_keys.iter_mut().find(|(k, _)| *k == id) {
                    Some((_, n)) => *n += 1,
                    None => report.unknown_keys.push((id, 1)),
                }
            }
            Err(_) => report.unreadable += 1,
        }
    }
    Ok(report)
}
