//! One couple's months in the practice, as rows: the partners' accounts, the case, its
//! step history, homework with answers and reviews, weekly check-ins answering the
//! couple's agreement, sessions with signed notes, small wins, and the audit trail each
//! of those writes leaves. Each kind of record is seeded by its own submodule.

mod check_ins;
mod homework;
mod rows;
mod sessions;

pub use rows::Rows;

use super::words;
use check_ins::check_ins;
use homework::homework;
use rand::Rng;
use rand::rngs::StdRng;
use sessions::sessions;

const DAY_MS: i64 = 24 * 3600 * 1000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// An exercise of the built-in program, as assignments copy it.
pub struct Template {
    pub version_id: String,
    pub step: i64,
    pub audience: String,
    pub title: String,
    pub instructions: String,
    pub fields_json: String,
    pub fields: Vec<crate::features::program::ResponseField>,
}

/// What every couple shares: the clock, the counselors, the program.
pub struct Ctx {
    pub now: i64,
    pub program_id: String,
    pub counselors: Vec<String>,
    pub templates: Vec<Template>,
    pub password_hash: String,
    /// The consent every joined partner has signed: its id, version and fingerprint.
    pub consent: (String, i64, String),
}

thread_local! {
    /// The time part of the ids being made (see `id`).
    static ID_MS: std::cell::Cell<u64> = const { std::cell::Cell::new(ID_EPOCH_MS) };
}

/// 2020-01-01: the benchmark practice's ids count from here, one millisecond per couple.
const ID_EPOCH_MS: u64 = 1_577_836_800_000;

/// Ids made from now on belong to couple `n` (or to the practice's staff before any).
pub fn ids_for(n: Option<u64>) {
    ID_MS.with(|ms| ms.set(ID_EPOCH_MS + n.map_or(0, |n| n + 1)));
}

/// A time-ordered id (UUIDv7) in the text form every table keys on, as the product makes
/// them: the time part counts couples (so each couple's rows sit together and the practice
/// is written in key order, as a real one grows), the rest comes from the seeded stream.
pub fn id(rng: &mut StdRng) -> String {
    let random: [u8; 10] = rng.r#gen();
    let ms = ID_MS.with(|ms| ms.get());
    uuid::Builder::from_unix_timestamp_millis(ms, &random)
        .into_uuid()
        .to_string()
}

fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .date_naive()
        .to_string()
}

fn audit(
    rows: &mut Rows,
    at: i64,
    actor: &str,
    action: &str,
    couple: &str,
    detail: Option<String>,
) {
    rows.audit.push([
        at.into(),
        actor.into(),
        action.into(),
        couple.into(),
        detail.into(),
    ]);
}

/// Couple number `n` of the practice (0-based), with its own random stream so that it is
/// the same couple whatever else is seeded.
pub fn couple(ctx: &Ctx, seed: u64, n: u64, rows: &mut Rows) {
    use rand::SeedableRng;
    let rng = &mut StdRng::seed_from_u64(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    ids_for(Some(n));
    let counselor = &ctx.counselors[(n as usize) % ctx.counselors.len()];
    let status = match rng.gen_range(0..20) {
        0 => "closed",
        1 => "paused",
        2 => "intake",
        _ => "active",
    };
    let weeks: i64 = if status == "intake" {
        0
    } else {
        rng.gen_range(2..=26)
    };
    let opened = ctx.now - weeks * WEEK_MS - rng.gen_range(1..7) * DAY_MS;
    let surname = words::SURNAMES[rng.gen_range(0..words::SURNAMES.len())];
    let names = [0, 1].map(|_| words::FIRST_NAMES[rng.gen_range(0..words::FIRST_NAMES.len())]);
    let couple_id = id(rng);
    let step = if status == "intake" {
        None
    } else {
        Some((1 + weeks / 3).min(10))
    };
    let mut partners = Vec::new();
    for (i, first) in names.iter().enumerate() {
        let position = i as i64 + 1;
        let email = super::partner_email(n, position as u8);
        // At intake only the first partner has joined so far.
        let joined = status != "intake" || position == 1;
        let user_id = joined.then(|| id(rng));
        if let Some(user_id) = &user_id {
            rows.user.push([
                user_id.into(),
                email.as_str().into(),
                format!("{first} {surname}").into(),
                "partner".into(),
                ctx.password_hash.as_str().into(),
                "active".into(),
                opened.into(),
                opened.into(),
            ]);
        }
        if let Some(user_id) = &user_id {
            let (version_id, version, sha) = &ctx.consent;
            rows.consent.push([
                id(rng).into(),
                user_id.into(),
                version_id.as_str().into(),
                (*version).into(),
                format!("{first} {surname}").into(),
                (opened + DAY_MS).into(),
                None::<String>.into(),
                sha.as_str().into(),
            ]);
        }
        partners.push((position, user_id.clone()));
        rows.partner.push([
            id(rng).into(),
            couple_id.as_str().into(),
            position.into(),
            format!("{first} {surname}").into(),
            email.into(),
            (if position == 1 { "broke_trust" } else { "hurt" }).into(),
            user_id.into(),
            opened.into(),
        ]);
    }
    let closed_at = (status == "closed").then(|| ctx.now - rng.gen_range(1..14) * DAY_MS);
    rows.couple.push([
        couple_id.as_str().into(),
        format!("{} & {}", names[0], names[1]).into(),
        counselor.into(),
        status.into(),
        Some(date(opened - rng.gen_range(30..400) * DAY_MS)).into(),
        words::concern(rng).into(),
        opened.into(),
        (ctx.now - rng.gen_range(0..7) * DAY_MS).into(),
        closed_at.into(),
        step.map(|_| ctx.program_id.clone()).into(),
        step.into(),
    ]);
    audit(rows, opened, counselor, "case_created", &couple_id, None);
    let Some(step) = step else {
        return;
    };
    for s in 1..=step {
        let at = opened + (s - 1) * 3 * WEEK_MS + DAY_MS;
        rows.step_move.push([
            id(rng).into(),
            couple_id.as_str().into(),
            (s > 1).then_some(s - 1).into(),
            s.into(),
            "Ready for the next step.".into(),
            counselor.into(),
            at.into(),
        ]);
    }
    let users: Vec<(i64, String)> = partners
        .into_iter()
        .filter_map(|(p, u)| Some((p, u?)))
        .collect();
    homework(ctx, rng, rows, &couple_id, counselor, &users, opened, weeks);
    check_ins(ctx, rng, rows, &couple_id, counselor, &users, opened, weeks);
    sessions(ctx, rng, rows, &couple_id, counselor, opened, weeks, step);
}
