//! The demo practice (`TRELLIS_DEMO=1`): a practice a newcomer can click through at once.
//! Seeded only into an empty database, so demo data never mixes with real records. The
//! demo couple's homework, sessions and check-ins are seeded by the submodules.

mod agreements;
mod check_ins;
mod homework;
mod intake;
mod measures;
mod messages;
mod sessions;
mod together;

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::password;
use crate::auth::repo::{NewUser, count_users, insert_user};
use crate::db::put_setting;
use crate::db::{Db, as_of};
use crate::error::AppError;
use crate::features::sign_in::demo::{DEMO_PASSWORD, PEOPLE, SEEDED_KEY};
use crate::state::AppState;
use check_ins::seed_check_ins;
use homework::seed_homework;
use sessions::seed_sessions;

/// Seeds the demo practice if the database has no accounts. Returns whether it seeded.
pub async fn seed_if_empty(app: &AppState) -> Result<bool, AppError> {
    let db = &app.db;
    if count_users(db.pool()).await? > 0 {
        return Ok(false);
    }
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let mut tx = db.begin_write().await?;
    // Re-checked under the write lock: another process may have started at the same time.
    if count_users(&mut *tx).await? > 0 {
        return Ok(false);
    }
    // The practice opened four months ago.
    let ids = as_of(120, 0, async {
        let mut ids = Vec::with_capacity(PEOPLE.len());
        for person in &PEOPLE {
            let id = insert_user(
                &mut *tx,
                NewUser {
                    email: person.email,
                    display_name: person.name,
                    role: person.role,
                    password_hash: Some(&hash),
                },
            )
            .await?;
            ids.push(id);
        }
        put_setting(&mut *tx, SEEDED_KEY, "seeded").await?;
        record(
            &mut *tx,
            AuditAction::DemoPracticeSeeded,
            AuditEntry::default(),
        )
        .await?;
        Ok::<_, AppError>(ids)
    })
    .await?;
    tx.commit().await?;
    // The demo practice says when it responds to a worrying answer; its list of crisis
    // services stays the general one (real services, so nobody trying the demo in distress
    // is given a made-up number).
    crate::features::safety::repo::save_response(db, DEMO_RESPONSE, &ids[0], None).await?;
    crate::features::messages::repo::save_messaging(
        db,
        true,
        "Dr. Hale reads messages on working days and usually replies within two working days.",
        &ids[0],
        None,
    )
    .await?;
    seed_couples(app, &ids[1], &ids[2], &ids[3]).await?;
    Ok(true)
}

/// The demo practice's word on when it responds.
pub const DEMO_RESPONSE: &str = "Dr. Hale reads worrying check-in answers within one working \
     day (Monday to Friday). Trellis is not watched around the clock: if you need help \
     sooner, please use one of the services on this page.";

/// Alex & Sam, four months after a disclosure, on the demo counselor's caseload: both
/// joined through their invitations. Beside them Jordan & Casey, new at intake, with one
/// invitation out.
async fn seed_couples(
    app: &AppState,
    counselor: &str,
    alex: &str,
    sam: &str,
) -> Result<(), AppError> {
    use crate::couple::{CaseStatus, RuptureRole};
    use crate::features::cases::repo::{ValidCouple, ValidPartner, change_status, create};
    use crate::features::invitations::repo::{self as invitations, Acceptance, Target};
    use crate::features::program::repo::move_step;
    let db = &app.db;
    let today = chrono::Utc::now().date_naive();
    let partner = |name: &str, email: &str, pronouns: &str, role| ValidPartner {
        display_name: name.into(),
        email: email.into(),
        pronouns: Some(pronouns.into()),
        rupture_role: role,
    };
    let couple = ValidCouple {
        case_name: "Alex & Sam".into(),
        partners: [
            partner(
                "Alex Rivera",
                PEOPLE[2].email,
                "she/her",
                RuptureRole::BrokeTrust,
            ),
            partner("Sam Rivera", PEOPLE[3].email, "he/him", RuptureRole::Hurt),
        ],
        rupture_date: today.checked_sub_months(chrono::Months::new(4)),
        presenting_concerns: Some(
            "Sam found messages showing Alex had an emotional affair with a colleague over most \
             of last year. Both want to stay together; Sam struggles with intrusive thoughts and \
             checking Alex's phone, Alex with shame and defensiveness."
                .into(),
        ),
        intake_notes: Some(
            "Married nine years, two children. No safety concerns disclosed at intake. \
             Agreed to weekly joint sessions and individual homework between sessions."
                .into(),
        ),
    };
    // Intake three and a half months ago; both joined within days; active since the
    // first joint session.
    let couple_id = as_of(107, 0, create(db, counselor, &couple, None)).await?;
    for (position, user_id, days_ago) in [(1, alex, 106), (2, sam, 105)] {
        let target = Target::Partner {
            couple_id: &couple_id,
            position,
        };
        let created = as_of(107, -1, invitations::create(app, target, counselor, None)).await?;
        let row = invitations::find_by_id(db, &created.invitation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let how = Acceptance::Existing {
            user_id,
            link_identity: None,
        };
        as_of(days_ago, 0, invitations::accept(db, &row, how, None)).await?;
        // Each signed the practice's consent (Trellis's default) right after joining, so the
        // demo opens at once.
        let consent = as_of(
            107,
            0,
            crate::features::consent::repo::current(db, chrono_tz::Tz::UTC),
        )
        .await?;
        let name = couple.partners[position as usize - 1].display_name.clone();
        as_of(
            days_ago,
            -1,
            crate::features::consent::repo::sign(db, user_id, consent.version, &name, None),
        )
        .await?;
    }
    // Both keep reminder emails on: Alex with the usual reminder a day before each
    // session, Sam two days before (the settings page shows either choice).
    as_of(
        104,
        0,
        crate::features::reminders::repo::set_reminders(
            db,
            sam,
            true,
            Some(48),
            crate::db::now_ms(),
            None,
        ),
    )
    .await?;
    as_of(
        100,
        0,
        change_status(db, &couple_id, CaseStatus::Active, counselor, None),
    )
    .await?;
    let program = crate::features::program::seed::ensure_builtin(db).await?;
    for (days_ago, step, reason) in [
        (100, 1, "Starting the program at the first joint session."),
        (
            72,
            2,
            "Alex has answered Sam's questions about the affair in full; Sam needs room for what \
             that brought up.",
        ),
        (
            30,
            3,
            "Sam is less flooded in sessions and has asked for openness about phone and schedule.",
        ),
    ] {
        let moved = move_step(
            db,
            &couple_id,
            Some(&program),
            step,
            reason,
            counselor,
            None,
        );
        as_of(days_ago, 0, moved).await?;
    }
    seed_homework(db, &program, &couple_id, counselor).await?;
    seed_sessions(db, &couple_id, counselor).await?;
    seed_check_ins(db, &couple_id).await?;
    let [alex_id, sam_id] = couple_partner_ids(db, &couple_id).await?;
    messages::seed_messages(db, &couple_id, counselor, [&alex_id, &sam_id]).await?;
    intake::seed_intakes(db, &couple_id, [&alex_id, &sam_id]).await?;
    measures::seed_measures(db, &couple_id, counselor, [&alex_id, &sam_id]).await?;

    let newcomers = ValidCouple {
        case_name: "Jordan & Casey".into(),
        partners: [
            partner(
                "Jordan Okafor",
                "jordan@demo.trellis.test",
                "they/them",
                RuptureRole::Unspecified,
            ),
            partner(
                "Casey Okafor",
                "casey@demo.trellis.test",
                "she/her",
                RuptureRole::Unspecified,
            ),
        ],
        rupture_date: None,
        presenting_concerns: Some(
            "Referred by their family doctor after a disclosure last month.".into(),
        ),
        intake_notes: None,
    };
    let newcomers_id = as_of(2, 0, create(db, counselor, &newcomers, None)).await?;
    let target = Target::Partner {
        couple_id: &newcomers_id,
        position: 1,
    };
    as_of(1, 0, invitations::create(app, target, counselor, None)).await?;
    Ok(())
}

/// Answers for an exercise: the given texts for its written questions in turn (the rest left
/// unanswered), a middling rating, the first item of each checklist.
pub(crate) fn demo_answers(
    fields: &[crate::features::program::ResponseField],
    texts: &[&str],
) -> crate::features::homework::Answers {
    use crate::features::homework::AnswerValue;
    use crate::features::program::ResponseField;
    let mut texts = texts.iter();
    fields
        .iter()
        .filter_map(|f| {
            let value = match f {
                ResponseField::Text { .. } => AnswerValue::Text(texts.next()?.to_string()),
                ResponseField::Rating { .. } => AnswerValue::Rating(6),
                ResponseField::Checklist { .. } => AnswerValue::Checked(vec![0]),
            };
            Some((f.key().to_string(), value))
        })
        .collect()
}

/// Both partners' accounts (both have joined by the time the demo writes as them).
async fn couple_partner_ids(db: &Db, couple_id: &str) -> Result<[String; 2], AppError> {
    let couple = crate::couple::load(db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?;
    let account = |i: usize| {
        couple.partners[i]
            .account
            .as_ref()
            .map(|id| id.to_string())
            .ok_or(AppError::NotFound)
    };
    Ok([account(0)?, account(1)?])
}
