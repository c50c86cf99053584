//! One couple's months in the practice, as rows: the partners' accounts, the case, its
//! step history, homework with answers and reviews, weekly check-ins answering the
//! couple's agreement, sessions with signed notes, small wins, and the audit trail each
//! of those writes leaves.

use super::batch::Batch;
use super::words;
use rand::Rng;
use rand::rngs::StdRng;

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
}

/// A row batch per table, in an order that writes parents before children.
pub struct Rows {
    pub user: Batch,
    pub couple: Batch,
    pub partner: Batch,
    pub step_move: Batch,
    pub assignment: Batch,
    pub submission: Batch,
    pub review: Batch,
    pub session: Batch,
    pub note: Batch,
    pub check_in: Batch,
    pub safety_flag: Batch,
    pub agreement: Batch,
    pub agreement_version: Batch,
    pub agreement_ack: Batch,
    pub keeping: Batch,
    pub win: Batch,
    pub audit: Batch,
}

impl Rows {
    pub fn new() -> Self {
        Rows {
            user: Batch::new(
                "app_user",
                &[
                    "app_user_id",
                    "email",
                    "display_name",
                    "role",
                    "password_hash",
                    "status",
                    "created_at",
                    "updated_at",
                ],
            ),
            couple: Batch::new(
                "couple",
                &[
                    "couple_id",
                    "case_name",
                    "counselor_id",
                    "status",
                    "rupture_date",
                    "presenting_concerns",
                    "created_at",
                    "updated_at",
                    "closed_at",
                    "program_id",
                    "current_step",
                ],
            ),
            partner: Batch::new(
                "partner",
                &[
                    "partner_id",
                    "couple_id",
                    "position",
                    "display_name",
                    "email",
                    "rupture_role",
                    "app_user_id",
                    "created_at",
                ],
            ),
            step_move: Batch::new(
                "step_move",
                &[
                    "step_move_id",
                    "couple_id",
                    "from_step",
                    "to_step",
                    "reason",
                    "moved_by",
                    "moved_at",
                ],
            ),
            assignment: Batch::new(
                "assignment",
                &[
                    "assignment_id",
                    "couple_id",
                    "assignment_group",
                    "position",
                    "template_version_id",
                    "step_number",
                    "title",
                    "instructions",
                    "fields",
                    "due_on",
                    "assigned_by",
                    "assigned_at",
                    "submitted_version",
                    "reviewed_version",
                ],
            ),
            submission: Batch::new(
                "submission",
                &[
                    "submission_id",
                    "assignment_id",
                    "version",
                    "answers",
                    "visibility",
                    "submitted_at",
                ],
            ),
            review: Batch::new(
                "review",
                &[
                    "review_id",
                    "assignment_id",
                    "submission_version",
                    "feedback",
                    "reviewed_by",
                    "reviewed_at",
                ],
            ),
            session: Batch::new(
                "counseling_session",
                &[
                    "counseling_session_id",
                    "couple_id",
                    "counselor_id",
                    "starts_at",
                    "duration_minutes",
                    "format",
                    "attendees",
                    "status",
                    "created_at",
                    "updated_at",
                ],
            ),
            note: Batch::new(
                "clinical_note",
                &[
                    "clinical_note_id",
                    "counseling_session_id",
                    "couple_id",
                    "author_id",
                    "kind",
                    "template",
                    "sections",
                    "goal_ids",
                    "created_at",
                    "updated_at",
                    "signed_at",
                    "signed_by",
                    "content_hash",
                ],
            ),
            check_in: Batch::new(
                "check_in",
                &[
                    "check_in_id",
                    "couple_id",
                    "position",
                    "app_user_id",
                    "submitted_at",
                    "csi1",
                    "csi2",
                    "csi3",
                    "csi4",
                    "csi_total",
                    "trust",
                    "hope",
                    "went_well",
                    "was_hard",
                    "share_text",
                    "safety",
                ],
            ),
            safety_flag: Batch::new(
                "safety_flag",
                &[
                    "safety_flag_id",
                    "check_in_id",
                    "couple_id",
                    "position",
                    "answer",
                    "raised_at",
                    "acknowledged_at",
                    "acknowledged_by",
                    "acknowledgement",
                ],
            ),
            agreement: Batch::new("agreement", &["agreement_id", "couple_id", "created_at"]),
            agreement_version: Batch::new(
                "agreement_version",
                &[
                    "agreement_version_id",
                    "agreement_id",
                    "version",
                    "body",
                    "written_by",
                    "written_at",
                    "approved_by",
                    "approved_at",
                ],
            ),
            agreement_ack: Batch::new(
                "agreement_ack",
                &[
                    "agreement_version_id",
                    "position",
                    "app_user_id",
                    "acknowledged_at",
                ],
            ),
            keeping: Batch::new(
                "agreement_keeping",
                &[
                    "check_in_id",
                    "agreement_id",
                    "agreement_version_id",
                    "kept",
                ],
            ),
            win: Batch::new(
                "small_win",
                &[
                    "small_win_id",
                    "couple_id",
                    "position",
                    "app_user_id",
                    "body",
                    "created_at",
                ],
            ),
            audit: Batch::new(
                "audit_event",
                &["at", "actor_user_id", "action", "couple_id", "detail"],
            ),
        }
    }

    /// Every batch, parents first.
    pub fn all(&mut self) -> [&mut Batch; 17] {
        [
            &mut self.user,
            &mut self.couple,
            &mut self.partner,
            &mut self.step_move,
            &mut self.assignment,
            &mut self.submission,
            &mut self.review,
            &mut self.session,
            &mut self.note,
            &mut self.check_in,
            &mut self.safety_flag,
            &mut self.agreement,
            &mut self.agreement_version,
            &mut self.agreement_ack,
            &mut self.keeping,
            &mut self.win,
            &mut self.audit,
        ]
    }
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

/// Two exercises a week from the steps reached, answered (often more than once) and
/// mostly reviewed; the latest week's still open, some of them overdue.
#[allow(clippy::too_many_arguments)]
fn homework(
    ctx: &Ctx,
    rng: &mut StdRng,
    rows: &mut Rows,
    couple_id: &str,
    counselor: &str,
    users: &[(i64, String)],
    opened: i64,
    weeks: i64,
) {
    let groups = (weeks * 2).min(32);
    for g in 0..groups {
        let assigned_at = opened + (g / 2) * WEEK_MS + (g % 2) * 2 * DAY_MS + DAY_MS;
        let reached = (1 + (g / 2) / 3).min(10);
        let choices: Vec<&Template> = ctx.templates.iter().filter(|t| t.step <= reached).collect();
        if choices.is_empty() {
            continue;
        }
        let template = choices[rng.gen_range(0..choices.len())];
        let group = id(rng);
        let due = assigned_at + WEEK_MS;
        for (position, user_id) in users {
            let for_them = match template.audience.as_str() {
                "broke_trust" => *position == 1,
                "hurt" => *position == 2,
                _ => true,
            };
            if !for_them {
                continue;
            }
            let assignment_id = id(rng);
            // The last week's work is still open; the rest mostly done, often more than
            // once, and mostly reviewed.
            let open = g >= groups - 2 || rng.gen_bool(0.05);
            let versions: i64 = if open { 0 } else { rng.gen_range(1..=3) };
            let reviewed = versions > 0 && rng.gen_bool(0.8);
            rows.assignment.push([
                assignment_id.as_str().into(),
                couple_id.into(),
                group.as_str().into(),
                (*position).into(),
                template.version_id.as_str().into(),
                template.step.into(),
                template.title.as_str().into(),
                template.instructions.as_str().into(),
                template.fields_json.as_str().into(),
                date(due).into(),
                counselor.into(),
                assigned_at.into(),
                versions.into(),
                (if reviewed { versions } else { 0 }).into(),
            ]);
            let detail = Some(format!("partner_{position}"));
            audit(
                rows,
                assigned_at,
                counselor,
                "homework_assigned",
                couple_id,
                detail.clone(),
            );
            if open {
                continue;
            }
            let mut at = assigned_at;
            for version in 1..=versions {
                at += rng.gen_range(1..=(2 * DAY_MS / 3_600_000)) * 3_600_000;
                let texts = [words::answer(rng), words::answer(rng), words::answer(rng)];
                let answers = crate::demo::demo_answers(&template.fields, &texts);
                let visibility = if rng.gen_bool(0.3) {
                    "shared"
                } else {
                    "counselor"
                };
                rows.submission.push([
                    id(rng).into(),
                    assignment_id.as_str().into(),
                    version.into(),
                    serde_json::to_string(&answers).unwrap_or_default().into(),
                    visibility.into(),
                    at.into(),
                ]);
                audit(
                    rows,
                    at,
                    user_id,
                    "homework_submitted",
                    couple_id,
                    detail.clone(),
                );
            }
            if reviewed {
                let at = at + DAY_MS;
                rows.review.push([
                    id(rng).into(),
                    assignment_id.as_str().into(),
                    versions.into(),
                    words::feedback(rng).into(),
                    counselor.into(),
                    at.into(),
                ]);
                audit(
                    rows,
                    at,
                    counselor,
                    "homework_reviewed",
                    couple_id,
                    detail.clone(),
                );
            }
        }
    }
}

/// A check-in a week from each partner over the last twelve weeks, each answering how the
/// couple's agreement was kept; now and then an unsure safety answer raises a flag.
#[allow(clippy::too_many_arguments)]
fn check_ins(
    ctx: &Ctx,
    rng: &mut StdRng,
    rows: &mut Rows,
    couple_id: &str,
    counselor: &str,
    users: &[(i64, String)],
    opened: i64,
    weeks: i64,
) {
    let agreement_id = id(rng);
    let version_id = id(rng);
    let written = opened + 2 * DAY_MS;
    rows.agreement.push([
        agreement_id.as_str().into(),
        couple_id.into(),
        written.into(),
    ]);
    rows.agreement_version.push([
        version_id.as_str().into(),
        agreement_id.as_str().into(),
        1.into(),
        words::AGREEMENT.into(),
        counselor.into(),
        written.into(),
        counselor.into(),
        written.into(),
    ]);
    for (position, user_id) in users {
        rows.agreement_ack.push([
            version_id.as_str().into(),
            (*position).into(),
            user_id.into(),
            (written + DAY_MS).into(),
        ]);
    }
    let mut trust = [rng.gen_range(1..5), rng.gen_range(2..6)];
    for week in (0..weeks.min(12)).rev() {
        for (position, user_id) in users {
            let i = (*position - 1) as usize;
            trust[i] = (trust[i] + rng.gen_range(-1..=2)).clamp(0, 10);
            let at = ctx.now - week * WEEK_MS - rng.gen_range(1..72) * 3_600_000;
            let csi = [
                rng.gen_range(1..=5),
                rng.gen_range(1..=4),
                rng.gen_range(1..=4),
                rng.gen_range(1..=4),
            ];
            let check_in_id = id(rng);
            let safety = if rng.gen_bool(0.01) { "unsure" } else { "safe" };
            rows.check_in.push([
                check_in_id.as_str().into(),
                couple_id.into(),
                (*position).into(),
                user_id.into(),
                at.into(),
                csi[0].into(),
                csi[1].into(),
                csi[2].into(),
                csi[3].into(),
                csi.iter().sum::<i64>().into(),
                trust[i].into(),
                (trust[i] + 1).min(10).into(),
                words::went_well(rng).into(),
                words::was_hard(rng).into(),
                i64::from(rng.gen_bool(0.3)).into(),
                safety.into(),
            ]);
            let kept = ["kept", "kept", "partly", "not"][rng.gen_range(0..4)];
            rows.keeping.push([
                check_in_id.as_str().into(),
                agreement_id.as_str().into(),
                version_id.as_str().into(),
                kept.into(),
            ]);
            audit(
                rows,
                at,
                user_id,
                "check_in_submitted",
                couple_id,
                Some(format!("partner_{position}")),
            );
            if safety == "unsure" {
                let seen = week > 0;
                rows.safety_flag.push([
                    id(rng).into(),
                    check_in_id.into(),
                    couple_id.into(),
                    (*position).into(),
                    safety.into(),
                    at.into(),
                    seen.then_some(at + DAY_MS).into(),
                    seen.then(|| counselor.to_string()).into(),
                    seen.then(|| "Talked it through by phone; no immediate risk.".to_string())
                        .into(),
                ]);
            }
        }
    }
    for _ in 0..weeks.min(4) {
        let (position, user_id) = &users[rng.gen_range(0..users.len())];
        rows.win.push([
            id(rng).into(),
            couple_id.into(),
            (*position).into(),
            user_id.into(),
            words::win(rng).into(),
            (ctx.now - rng.gen_range(1..28) * DAY_MS).into(),
        ]);
    }
}

/// Weekly sessions over the last twelve weeks, each attended one with a signed note, and
/// the next one planned.
#[allow(clippy::too_many_arguments)]
fn sessions(
    ctx: &Ctx,
    rng: &mut StdRng,
    rows: &mut Rows,
    couple_id: &str,
    counselor: &str,
    opened: i64,
    weeks: i64,
    step: i64,
) {
    let hour = rng.gen_range(8..18) * 3_600_000;
    let base = ctx.now - ctx.now.rem_euclid(DAY_MS) + hour;
    for week in (-1..weeks.min(12)).rev() {
        let starts = base - week * WEEK_MS - 2 * DAY_MS;
        let session_id = id(rng);
        let status = if week < 0 { "scheduled" } else { "attended" };
        let planned = (starts - WEEK_MS).max(opened);
        rows.session.push([
            session_id.as_str().into(),
            couple_id.into(),
            counselor.into(),
            starts.into(),
            50.into(),
            (if rng.gen_bool(0.3) {
                "video"
            } else {
                "in_person"
            })
            .into(),
            "both".into(),
            status.into(),
            planned.into(),
            planned.into(),
        ]);
        if week < 0 {
            continue;
        }
        let note_id = id(rng);
        let sections = words::note_sections(rng, step);
        let signed = starts + 2 * 3_600_000;
        let hash = crate::features::notes::repo::content_hash(&[
            &note_id,
            counselor,
            &signed.to_string(),
            &sections,
            "[]",
        ]);
        audit(
            rows,
            signed,
            counselor,
            "note_signed",
            couple_id,
            Some(note_id.clone()),
        );
        rows.note.push([
            note_id.into(),
            session_id.into(),
            couple_id.into(),
            counselor.into(),
            "progress".into(),
            "soap".into(),
            sections.into(),
            "[]".into(),
            starts.into(),
            signed.into(),
            signed.into(),
            counselor.into(),
            hash.into(),
        ]);
    }
}
