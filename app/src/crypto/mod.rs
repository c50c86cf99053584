//! Random tokens and keyed hashes: the cryptography every floor above uses (sessions,
//! invitation links, error references).

pub mod token;
