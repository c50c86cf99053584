//! The demo practice (`TRELLIS_DEMO=1`): a practice a newcomer can click through at once.
//! Seeded only into an empty database, so demo data never mixes with real records.

mod agreements;

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::password;
use crate::auth::repo::{NewUser, count_users, insert_user};
use crate::db::put_setting;
use crate::db::{Db, as_of};
use crate::error::AppError;
use crate::features::sign_in::demo::{DEMO_PASSWORD, PEOPLE, SEEDED_KEY};
use crate::state::AppState;

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
    seed_couples(app, &ids[1], &ids[2], &ids[3]).await?;
    Ok(true)
}

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
    }
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

/// Alex & Sam's homework over the months: reviewed work from step 1, a shared answer and
/// one awaiting review from step 2, this week's exercise (weekly; Sam has a draft) and an
/// overdue one.
async fn seed_homework(
    db: &Db,
    program: &str,
    couple_id: &str,
    counselor: &str,
) -> Result<(), AppError> {
    use crate::features::homework::Visibility;
    use crate::features::homework::repo::{NewAssignment, assign, review, save, template_source};
    use crate::features::program::Audience;
    use crate::features::program::repo::find_template;
    let alex_and_sam = couple_partner_ids(db, couple_id).await?;
    let today = chrono::Utc::now().date_naive();
    let days = |n: i64| today.checked_add_signed(chrono::Duration::days(n));
    // (step, audience, positions, assigned days ago, due in days)
    let plan: [(i64, Audience, &[i64], i64, i64); 4] = [
        (1, Audience::BrokeTrust, &[1], 98, -91),
        (2, Audience::Both, &[1, 2], 70, -63),
        (3, Audience::Both, &[1, 2], 5, 1),
        (3, Audience::BrokeTrust, &[1], 20, -10),
    ];
    let mut copies = Vec::new();
    for (step, audience, positions, ago, due) in plan {
        let Some(template) = find_template(db, program, step, audience).await? else {
            continue;
        };
        let Some(source) = template_source(db, &template).await? else {
            continue;
        };
        let new = NewAssignment {
            template_version_id: Some(source.template_version_id),
            step_number: Some(step),
            title: source.title,
            instructions: source.instructions,
            fields: source.fields.clone(),
            due_on: days(due),
            positions: positions.to_vec(),
            // This week's exercise comes back every week while they are on step 3.
            repeat_days: (step == 3 && due > 0).then_some(7),
        };
        let ids = as_of(ago, 0, assign(db, couple_id, &new, counselor, None)).await?;
        copies.push((source.fields, ids));
    }
    let [alex, sam] = alex_and_sam;
    if let [
        (letter_fields, letter),
        (feelings_fields, feelings),
        (week_fields, week),
        _,
    ] = copies.as_slice()
    {
        let answers = demo_answers(
            letter_fields,
            &[
                "I kept up a secret closeness with a colleague for most of last year, and I lied \
                 when you asked about the messages.",
                "You lost your sense that you could believe what I told you, and you have been \
                 carrying that alone at night.",
                "I will answer your questions honestly, even the ones that are hard to hear.",
            ],
        );
        let submit = save(
            db,
            &letter[0],
            &answers,
            Visibility::Counselor,
            true,
            &alex,
            None,
        );
        as_of(93, 0, submit).await?;
        let reviewed = review(
            db,
            &letter[0],
            "This is clear and owned, Alex. Bring it to our next session and we will plan how you \
             read it to Sam.",
            counselor,
            None,
        );
        as_of(92, 0, reviewed).await?;

        let sam_answers = demo_answers(
            feelings_fields,
            &[
                "Mostly anger in the mornings and a heavy sadness in the evenings. Some days I \
               feel nothing at all, which scares me more.",
            ],
        );
        let submit = save(
            db,
            &feelings[1],
            &sam_answers,
            Visibility::Shared,
            true,
            &sam,
            None,
        );
        as_of(65, 0, submit).await?;
        let reviewed = review(
            db,
            &feelings[1],
            "Thank you for letting Alex read this, Sam. Noticing the numb days matters too.",
            counselor,
            None,
        );
        as_of(64, 0, reviewed).await?;
        let alex_answers = demo_answers(
            feelings_fields,
            &[
                "I notice I want to explain myself when Sam is angry. This week I tried to just \
               listen, and it was harder than I expected.",
            ],
        );
        let submit = save(
            db,
            &feelings[0],
            &alex_answers,
            Visibility::Counselor,
            true,
            &alex,
            None,
        );
        as_of(2, 0, submit).await?;

        let draft = demo_answers(
            week_fields,
            &["Started writing this on the train; not finished."],
        );
        let saved = save(
            db,
            &week[1],
            &draft,
            Visibility::Counselor,
            false,
            &sam,
            None,
        );
        as_of(0, 3, saved).await?;
    }
    Ok(())
}

async fn couple_partner_ids(db: &Db, couple_id: &str) -> Result<[String; 2], AppError> {
    let detail = crate::features::cases::repo::partner_accounts(db, couple_id).await?;
    Ok(detail)
}

/// Alex & Sam's sessions: one last week with a signed SOAP note, their treatment goals, and
/// the next one in two days with an agenda item.
async fn seed_sessions(db: &Db, couple_id: &str, counselor: &str) -> Result<(), AppError> {
    use crate::features::notes::repo as notes;
    use crate::features::notes::{NoteKind, NoteTemplate};
    use crate::features::sessions::repo::{SessionInput, add_agenda_item, schedule, set_status};
    use crate::features::sessions::{SessionFormat, SessionStatus};
    let at_five = |days: i64| {
        let day = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
        day.and_hms_opt(17, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis()
    };
    let goals = [
        (
            "Rebuild everyday transparency",
            "Alex's weekly transparency check-in done four weeks running",
        ),
        (
            "Sam can name the hurt without the evening collapsing",
            "Sam reports being able to say it in three of four weekly check-ins",
        ),
    ];
    for (title, objective) in goals {
        let target = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
        as_of(
            30,
            0,
            notes::add_goal(
                db,
                couple_id,
                title,
                objective,
                Some(target),
                counselor,
                None,
            ),
        )
        .await?;
    }
    let last_week = SessionInput {
        starts_at: at_five(-7),
        duration_minutes: 50,
        format: SessionFormat::InPerson,
        attendees: "both".into(),
    };
    let past = as_of(10, 0, schedule(db, couple_id, counselor, &last_week, None)).await?;
    as_of(
        6,
        0,
        set_status(db, &past, SessionStatus::Attended, None, counselor, None),
    )
    .await?;
    let note = as_of(
        7,
        0,
        notes::create(
            db,
            &past,
            counselor,
            NoteKind::Progress,
            NoteTemplate::Soap,
            None,
        ),
    )
    .await?;
    let sections: std::collections::BTreeMap<String, String> = [
        ("subjective", "Sam said the week felt steadier; the messages Alex showed unprompted helped. Alex said the daily check-ins feel awkward but useful."),
        ("objective", "Both arrived on time. Sam's voice tightened when the colleague came up; Alex stayed with it instead of explaining."),
        ("assessment", "Transparency is becoming a habit rather than a performance. Sam's hurt is still close to the surface and needs room that is not treated as a setback."),
        ("plan", "Keep the weekly transparency exercise going. Next session: practise Sam naming one hard moment of the week while Alex only reflects it back."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let goal_ids: Vec<String> = notes::goals(db, couple_id)
        .await?
        .into_iter()
        .map(|g| g.goal_id)
        .collect();
    as_of(
        7,
        -1,
        notes::save_draft(db, &note, counselor, &sections, &goal_ids[..1], None),
    )
    .await?;
    as_of(6, 22, notes::sign(db, &note, counselor, None)).await?;
    let next = SessionInput {
        starts_at: at_five(2),
        duration_minutes: 50,
        format: SessionFormat::Video,
        attendees: "both".into(),
    };
    let upcoming = as_of(0, 2, schedule(db, couple_id, counselor, &next, None)).await?;
    add_agenda_item(
        db,
        &upcoming,
        "Check in on how Sam's draft for this week's exercise is going.",
        counselor,
    )
    .await?;
    Ok(())
}

/// Eight weeks of Alex's and Sam's weekly check-ins: slowly rising, Sam's trust lagging, one
/// week where Sam asked to talk privately (acknowledged), and Sam's shared note last week.
async fn seed_check_ins(db: &Db, couple_id: &str) -> Result<(), AppError> {
    use crate::features::progress::SafetyAnswer;
    use crate::features::progress::repo::{NewCheckIn, acknowledge, submit};
    let [alex, sam] = couple_partner_ids(db, couple_id).await?;
    let counselor: String =
        sqlx::query_scalar("select counselor_id from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_one(db.pool())
            .await?;
    // (weeks ago, Alex: csi items, trust, hope; Sam: csi items, trust, hope)
    type Week = (i64, [i64; 4], i64, i64, [i64; 4], i64, i64);
    let weeks: [Week; 8] = [
        (8, [2, 2, 2, 2], 6, 5, [1, 1, 1, 1], 2, 4),
        (7, [2, 2, 2, 3], 6, 6, [1, 2, 1, 1], 2, 4),
        (6, [3, 3, 2, 3], 7, 6, [2, 2, 1, 2], 3, 5),
        (5, [3, 3, 3, 3], 7, 7, [2, 2, 2, 2], 3, 5),
        (4, [3, 3, 3, 3], 7, 7, [2, 2, 2, 2], 4, 5),
        (3, [3, 4, 3, 3], 8, 7, [3, 2, 2, 2], 4, 6),
        (2, [4, 4, 3, 4], 8, 8, [3, 3, 2, 3], 5, 6),
        (1, [4, 4, 4, 4], 8, 8, [3, 3, 3, 3], 5, 7),
    ];
    for (ago, a_csi, a_trust, a_hope, s_csi, s_trust, s_hope) in weeks {
        agreements::seed_week(db, couple_id, &counselor, [&alex, &sam], ago).await?;
        let questions = crate::features::agreements::repo::questions(db, couple_id).await?;
        let kept_by = |who: usize| {
            questions
                .iter()
                .enumerate()
                .map(|(i, (agreement, version, _))| {
                    (
                        agreement.clone(),
                        version.clone(),
                        agreements::kept(who, i, ago),
                    )
                })
                .collect::<Vec<_>>()
        };
        let alex_in = NewCheckIn {
            kept: kept_by(0),
            csi: Some(a_csi),
            trust: a_trust,
            hope: a_hope,
            went_well: if ago == 1 {
                "We kept the Sunday check-in even though it was awkward.".into()
            } else {
                String::new()
            },
            was_hard: String::new(),
            share_text: ago == 1,
            safety: SafetyAnswer::Safe,
        };
        as_of(ago * 7, 0, submit(db, couple_id, 1, &alex, &alex_in, None)).await?;
        let sam_in = NewCheckIn {
            kept: kept_by(1),
            csi: Some(s_csi),
            trust: s_trust,
            hope: s_hope,
            went_well: if ago == 1 {
                "Alex showed me the messages before I asked.".into()
            } else {
                String::new()
            },
            was_hard: if ago == 1 {
                "I still check Alex's phone in my head at night.".into()
            } else {
                String::new()
            },
            share_text: ago == 1,
            safety: if ago == 6 {
                SafetyAnswer::PrivateTalk
            } else {
                SafetyAnswer::Safe
            },
        };
        let flag = as_of(ago * 7, -2, submit(db, couple_id, 2, &sam, &sam_in, None)).await?;
        if let Some(flag) = flag {
            let note = "Spoke with Sam alone after the session: no danger at home; Sam wanted room to talk about the anger.";
            as_of(
                ago * 7 - 1,
                0,
                acknowledge(db, &flag, couple_id, &counselor, note, None),
            )
            .await?;
        }
    }
    // Two small wins on their wall, one already celebrated by the counselor.
    for (ago, position, who, body, reaction) in [
        (
            12,
            2_i64,
            &sam,
            "We laughed at dinner for the first time in months.",
            Some("celebrate"),
        ),
        (
            3,
            1,
            &alex,
            "Sam asked me how my day went, and I told the whole day, nothing left out.",
            None,
        ),
    ] {
        let at = crate::db::now_ms() - ago * 24 * 3600 * 1000;
        sqlx::query(
            "insert into small_win (small_win_id, couple_id, position, app_user_id, body, created_at, \
             reaction, reacted_by, reacted_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(crate::db::new_id())
        .bind(couple_id)
        .bind(position)
        .bind(who)
        .bind(body)
        .bind(at)
        .bind(reaction)
        .bind(reaction.map(|_| counselor.clone()))
        .bind(reaction.map(|_| at + 3600 * 1000))
        .execute(db.writer())
        .await?;
    }
    Ok(())
}
