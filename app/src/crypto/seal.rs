//! Two-factor secrets sealed at rest, so a copy of the database (a backup, a dump) gives no
//! working codes. Each secret is encrypted with XChaCha20-Poly1305 under a key derived (HKDF)
//! from the configured encryption key, with a fresh random nonce, and bound to its account:
//! the account id is associated data, so a sealed secret copied onto another account does
//! not open.
//!
//! Stored form: `v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`. The key id is derived
//! from the key (it names which configured key sealed a row without revealing it), so the
//! server can open rows sealed under an earlier key during a rotation and tell, at start-up,
//! which rows were sealed under a key it does not have. Rows from before sealing existed
//! hold the base32 secret itself; they are read as such and sealed at start-up.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::Sha256;

/// Seals `msg` under `cipher` with a fresh random nonce, bound to `aad`: the nonce, the
/// ciphertext and its tag, in URL-safe base64. Two-factor secrets and kept forms are both
/// sealed this way.
pub fn seal_with(cipher: &XChaCha20Poly1305, aad: &[u8], msg: &[u8]) -> String {
    let mut nonce = [0u8; NONCE_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg, aad })
        .expect("XChaCha20-Poly1305 seals any message of this size");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    URL_SAFE_NO_PAD.encode(out)
}

/// Why `open_with` could not open a sealed text.
#[derive(Debug, PartialEq, Eq)]
pub enum Unopened {
    /// Not what `seal_with` writes.
    Malformed,
    /// Sealed under another key or other associated data, or changed since.
    Altered,
}

/// Opens what `seal_with` sealed under `cipher` with the same `aad`.
pub fn open_with(
    cipher: &XChaCha20Poly1305,
    aad: &[u8],
    sealed: &str,
) -> Result<Vec<u8>, Unopened> {
    let bytes = URL_SAFE_NO_PAD
        .decode(sealed)
        .map_err(|_| Unopened::Malformed)?;
    if bytes.len() <= NONCE_BYTES {
        return Err(Unopened::Malformed);
    }
    let (nonce, msg) = bytes.split_at(NONCE_BYTES);
    let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| Unopened::Malformed)?;
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg, aad })
        .map_err(|_| Unopened::Altered)
}

/// The format of sealed secrets written today.
pub const FORMAT: &str = "v1";
const NONCE_BYTES: usize = 24;
/// HKDF labels: one key for sealing, one for naming it. Changing them changes every key.
const SEAL_LABEL: &[u8] = b"trellis user_mfa secret sealing key v1";
const ID_LABEL: &[u8] = b"trellis user_mfa secret key id v1";

/// One configured key, ready to seal and open.
struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl Key {
    fn derive(configured: &[u8]) -> Key {
        let hk = hkdf::Hkdf::<Sha256>::new(None, configured);
        let mut key = [0u8; 32];
        hk.expand(SEAL_LABEL, &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 length");
        let mut id = [0u8; 4];
        hk.expand(ID_LABEL, &mut id)
            .expect("4 bytes is a valid HKDF-SHA256 length");
        Key {
            id: id.iter().map(|b| format!("{b:02x}")).collect(),
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }
}

/// The keys two-factor secrets are sealed with: the current one (which seals) and earlier
/// ones (which only open, until start-up has sealed their rows again under the current one).
pub struct Keyring {
    current: Key,
    previous: Vec<Key>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current.id)
            .field(
                "previous",
                &self.previous.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Why a stored secret cannot be used. None of these carries the secret or the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Sealed under a key this server was not given.
    UnknownKey(String),
    /// The key is known but the secret does not open: altered, or moved from another account.
    Altered(String),
    /// Neither a sealed secret nor a secret from before sealing.
    Malformed,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::UnknownKey(id) => {
                write!(f, "sealed under key id {id}, which is not configured")
            }
            Unreadable::Altered(id) => write!(
                f,
                "sealed under key id {id} but does not open (altered, or copied from another account)"
            ),
            Unreadable::Malformed => f.write_str("not in any known format"),
        }
    }
}

/// A stored secret, opened.
pub struct Opened {
    pub secret: Vec<u8>,
    /// Already sealed under the current key (nothing to do at start-up).
    pub current: bool,
    /// Stored as it was before sealing existed.
    pub plain: bool,
}

impl Keyring {
    /// From the configured key and any earlier ones (each as configured, any length; the
    /// server checks lengths).
    pub fn new(current: &[u8], previous: &[&[u8]]) -> Keyring {
        let current = Key::derive(current);
        let mut seen = vec![current.id.clone()];
        let previous = previous
            .iter()
            .map(|p| Key::derive(p))
            .filter(|k| {
                let new = !seen.contains(&k.id);
                seen.push(k.id.clone());
                new
            })
            .collect();
        Keyring { current, previous }
    }

    /// The id of the key that seals (safe to log and show).
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    /// The ids of the earlier keys, which only open.
    pub fn previous_ids(&self) -> Vec<&str> {
        self.previous.iter().map(|k| k.id.as_str()).collect()
    }

    /// What a secret of `user_id` is bound to besides the key: the account and the envelope.
    fn associated(user_id: &str, key_id: &str) -> Vec<u8> {
        format!("trellis/user_mfa/{user_id}/{FORMAT}:{key_id}").into_bytes()
    }

    /// Seals a secret for an account under the current key, with a fresh random nonce.
    pub fn seal(&self, user_id: &str, secret: &[u8]) -> String {
        let aad = Self::associated(user_id, &self.current.id);
        format!(
            "{FORMAT}:{}:{}",
            self.current.id,
            seal_with(&self.current.cipher, &aad, secret)
        )
    }

    /// Opens a stored secret of `user_id`: sealed under any configured key, or stored before
    /// sealing existed.
    pub fn open(&self, user_id: &str, stored: &str) -> Result<Opened, Unreadable> {
        let Some(rest) = stored
            .strip_prefix(FORMAT)
            .and_then(|r| r.strip_prefix(':'))
        else {
            // Before sealing: the base32 secret itself (never contains ':').
            return match base32_decode(stored) {
                Some(secret) if !stored.contains(':') && !secret.is_empty() => Ok(Opened {
                    secret,
                    current: false,
                    plain: true,
                }),
                _ => Err(Unreadable::Malformed),
            };
        };
        let (key_id, body) = rest.split_once(':').ok_or(Unreadable::Malformed)?;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == key_id)
            .ok_or_else(|| Unreadable::UnknownKey(key_id.chars().take(16).collect()))?;
        let aad = Self::associated(user_id, key_id);
        let secret = open_with(&key.cipher, &aad, body).map_err(|why| match why {
            Unopened::Malformed => Unreadable::Malformed,
            Unopened::Altered => Unreadable::Altered(key.id.clone()),
        })?;
        Ok(Opened {
            secret,
            current: key.id == self.current.id,
            plain: false,
        })
    }
}

/// A secret stored before sealing existed: base32, read the way authenticator apps write
/// it (any case, spaces and padding ignored).
fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn seals_and_opens_bound_to_the_account() {
        let keys = Keyring::new(b"a configured key of at least 32 characters", &[]);
        let stored = keys.seal("user-a", SECRET);
        assert!(stored.starts_with(&format!("v1:{}:", keys.current_id())));
        assert!(!stored.contains(&data_encoding::BASE32_NOPAD.encode(SECRET)));
        let opened = keys.open("user-a", &stored).unwrap();
        assert_eq!(opened.secret, SECRET);
        assert!(opened.current && !opened.plain);
        // Fresh nonce each time.
        assert_ne!(keys.seal("user-a", SECRET), stored);
        // Copied onto another account, it does not open.
        assert_eq!(
            keys.open("user-b", &stored).err(),
            Some(Unreadable::Altered(keys.current_id().to_string()))
        );
        // One changed character, and it does not open either.
        let mut altered = stored.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert!(matches!(
            keys.open("user-a", &altered),
            Err(Unreadable::Altered(_))
        ));
    }

    #[test]
    fn earlier_keys_open_and_unknown_keys_are_named() {
        let old = Keyring::new(b"the old key, at least thirty-two characters", &[]);
        let stored = old.seal("u", SECRET);
        let new = Keyring::new(
            b"the new key, at least thirty-two characters",
            &[b"the old key, at least thirty-two characters"],
        );
        assert_ne!(new.current_id(), old.current_id());
        assert_eq!(new.previous_ids(), [old.current_id()]);
        let opened = new.open("u", &stored).unwrap();
        assert_eq!(opened.secret, SECRET);
        assert!(!opened.current);
        let other = Keyring::new(b"someone else's key, thirty-two characters", &[]);
        assert_eq!(
            other.open("u", &stored).err(),
            Some(Unreadable::UnknownKey(old.current_id().to_string()))
        );
        let printed = format!("{other:?} {}", Unreadable::UnknownKey("x".into()));
        assert!(!printed.contains("someone else"));
    }

    #[test]
    fn secrets_from_before_sealing_still_open() {
        let keys = Keyring::new(b"a configured key of at least 32 characters", &[]);
        let opened = keys
            .open("u", &data_encoding::BASE32_NOPAD.encode(SECRET))
            .unwrap();
        assert_eq!(opened.secret, SECRET);
        assert!(opened.plain && !opened.current);
        for bad in [
            "",
            "v1:",
            "v1:abcd",
            "v1:nokey:AAAA",
            "not base32!",
            "x:y:z",
        ] {
            assert!(keys.open("u", bad).is_err(), "{bad}");
        }
    }
}
