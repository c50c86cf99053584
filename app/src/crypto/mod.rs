//! Random tokens, keyed hashes and sealed secrets: the cryptography every floor above uses
//! (sessions, invitation links, error references, two-factor secrets at rest).

pub mod seal;
pub mod token;
