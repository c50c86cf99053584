//! Everywhere content can appear: every page (each for every thing it can show: every case,
//! every homework, every note…), every server function that returns data (likewise), every
//! export and every email. The oracle opens each of them as every actor. A route or server
//! function the app serves without a line here (as a place, or as a write the access rows
//! call) fails the test.

use super::world::World;
use super::{ALL, Actor};
use std::collections::BTreeSet;

/// A way to read: a page or download (GET), or a server function.
pub enum Read {
    /// The route pattern it covers, and the address (with `{set}`s to expand).
    Get(&'static str, &'static str),
    /// A server function and its arguments (with `{set}`s to expand).
    Call(&'static str, &'static [(&'static str, &'static str)]),
}
use Read::*;

/// Every place to read from. `{couples}`, `{assignments}`, `{joints}`, `{notes}`, `{sessions}`,
/// `{programs}`, `{templates}` and `{tokens}` stand for every one of them in the world.
pub const READS: &[Read] = &[
    // Pages.
    Get("/", "/"),
    // A partner in two couples reads each couple's check-in, agreements and wins by naming it.
    Get("/", "/?couple={couples}"),
    Get("/login", "/login"),
    Get("/help", "/help"),
    Get("/admin/help", "/admin/help"),
    Get("/consent", "/consent"),
    Get("/admin/consent", "/admin/consent"),
    Get(
        "/consent/records/{id}",
        "/consent/records/{consent_records}",
    ),
    Get("/login/two-factor", "/login/two-factor"),
    Get("/account/two-factor", "/account/two-factor"),
    Get("/setup", "/setup"),
    Get("/cases/new", "/cases/new"),
    Get("/cases/{id}", "/cases/{couples}"),
    Get("/cases/{id}/homework", "/cases/{couples}/homework"),
    Get("/cases/{id}/progress", "/cases/{couples}/progress"),
    Get("/cases/{id}/agreements", "/cases/{couples}/agreements"),
    Get("/cases/{id}/sessions", "/cases/{couples}/sessions"),
    Get("/cases/{id}/partners", "/cases/{couples}/partners"),
    Get("/cases/{id}/timeline", "/cases/{couples}/timeline"),
    Get("/cases/{id}/edit", "/cases/{couples}/edit"),
    Get("/cases/{id}/assign", "/cases/{couples}/assign"),
    Get(
        "/cases/{id}/report",
        "/cases/{couples}/report?from=2020-01-01&notes=on&psychotherapy=on",
    ),
    Get("/assignments/{id}", "/assignments/{assignments}"),
    Get("/homework/{id}", "/homework/{assignments}"),
    Get("/together/{id}", "/together/{joints}"),
    Get("/agenda", "/agenda"),
    Get("/sessions/{id}", "/sessions/{sessions}"),
    Get("/notes/{id}", "/notes/{notes}"),
    Get("/supervision", "/supervision"),
    Get("/reviews", "/reviews"),
    Get("/programs", "/programs"),
    Get("/programs/{id}", "/programs/{programs}"),
    Get(
        "/programs/{id}/steps/{step}/new",
        "/programs/{program_copy}/steps/2/new",
    ),
    Get("/templates/{template}/edit", "/templates/{templates}/edit"),
    Get("/agreements", "/agreements"),
    Get("/agreements", "/agreements?couple={couples}"),
    Get("/check-in", "/check-in"),
    Get("/check-in", "/check-in?couple={couples}"),
    Get("/settings", "/settings"),
    Get("/invite/{token}", "/invite/{tokens}"),
    Get("/forgot", "/forgot"),
    Get("/reset/{token}", "/reset/{new_reset_token}"),
    Get("/admin/overview", "/admin/overview"),
    Get("/admin/supervision", "/admin/supervision"),
    Get("/admin/couples", "/admin/couples"),
    Get("/admin/audit", "/admin/audit"),
    Get("/admin/audit", "/admin/audit?person={pat_id}"),
    Get("/healthz", "/healthz"),
    // Downloads.
    Get(
        "/cases/{id}/export/check-ins.csv",
        "/cases/{couples}/export/check-ins.csv",
    ),
    Get(
        "/cases/{id}/export/homework.csv",
        "/cases/{couples}/export/homework.csv",
    ),
    Get("/cases/{id}/export.json", "/cases/{couples}/export.json"),
    Get(
        "/cases/{id}/export.json",
        "/cases/{couples}/export.json?psychotherapy=1",
    ),
    Get("/export/my-data.json", "/export/my-data.json"),
    // One session for a calendar.
    Get(
        "/sessions/{id}/calendar.ics",
        "/sessions/{sessions}/calendar.ics",
    ),
    // Secure messages: every thread of every couple, as partner and as counselor.
    Get("/messages", "/messages"),
    Get("/intake", "/intake"),
    Get("/intake", "/intake?couple={couples}"),
    Get("/cases/{id}/intake", "/cases/{couples}/intake"),
    Get("/measures/{key}", "/measures/phq9?couple={couples}"),
    Get("/measures/{key}", "/measures/gad7?couple={couples}"),
    Get(
        "/cases/{id}/export/measures.csv",
        "/cases/{couples}/export/measures.csv",
    ),
    Get("/messages", "/messages?couple={couples}"),
    Get("/messages/joint", "/messages/joint"),
    Get("/messages/joint", "/messages/joint?couple={couples}"),
    Get(
        "/cases/{id}/messages/{thread}",
        "/cases/{couples}/messages/1",
    ),
    Get(
        "/cases/{id}/messages/{thread}",
        "/cases/{couples}/messages/2",
    ),
    Get(
        "/cases/{id}/messages/{thread}",
        "/cases/{couples}/messages/joint",
    ),
    Get("/admin/messages", "/admin/messages"),
    Call(
        "my_thread",
        &[("couple_id", "{couples}"), ("thread", "private")],
    ),
    Call(
        "my_thread",
        &[("couple_id", "{couples}"), ("thread", "joint")],
    ),
    Call(
        "case_thread",
        &[("couple_id", "{couples}"), ("thread", "1")],
    ),
    Call(
        "case_thread",
        &[("couple_id", "{couples}"), ("thread", "2")],
    ),
    Call(
        "case_thread",
        &[("couple_id", "{couples}"), ("thread", "joint")],
    ),
    // What an open thread page asks for with JavaScript on: the same threads, as HTML.
    Call(
        "my_thread_messages",
        &[("couple_id", "{couples}"), ("thread", "private")],
    ),
    Call(
        "my_thread_messages",
        &[("couple_id", "{couples}"), ("thread", "joint")],
    ),
    Call(
        "case_thread_messages",
        &[("couple_id", "{couples}"), ("thread", "1")],
    ),
    Call(
        "case_thread_messages",
        &[("couple_id", "{couples}"), ("thread", "2")],
    ),
    Call(
        "case_thread_messages",
        &[("couple_id", "{couples}"), ("thread", "joint")],
    ),
    Call("get_joint", &[("joint_id", "{joints}")]),
    Call("my_intake", &[("couple_id", "{couples}")]),
    Call("case_intake", &[("couple_id", "{couples}")]),
    Call("my_measures", &[("couple_id", "{couples}")]),
    Call("my_measure", &[("key", "phq9"), ("couple_id", "{couples}")]),
    Call("my_measure", &[("key", "gad7"), ("couple_id", "{couples}")]),
    Call("practice_messaging", &[]),
    // Server functions that return data.
    Call("current_user", &[]),
    Call("sign_in_options", &[]),
    Call("pending_sign_in", &[]),
    Call("mfa_status", &[]),
    Call("list_accounts", &[]),
    Call("my_reminder_settings", &[]),
    Call("get_practice_settings", &[]),
    Call("crisis_help", &[]),
    Call("crisis_settings", &[]),
    Call("read_consent", &[]),
    Call("consent_admin", &[]),
    Call("consent_record", &[("signature_id", "{consent_records}")]),
    Call("practice_overview", &[]),
    Call("list_couples", &[("page", "1")]),
    Call(
        "audit_log",
        &[
            ("person", ""),
            ("couple", ""),
            ("from", ""),
            ("to", ""),
            ("page", "1"),
        ],
    ),
    Call(
        "audit_log",
        &[
            ("person", "{pat_id}"),
            ("couple", ""),
            ("from", ""),
            ("to", ""),
            ("page", "1"),
        ],
    ),
    Call("list_supervision", &[]),
    Call("list_counselor_invitations", &[]),
    Call("get_invitation", &[("token", "{tokens}")]),
    Call("my_password_settings", &[]),
    Call("password_help", &[]),
    Call("get_password_reset", &[("token", "{new_reset_token}")]),
    Call("fresh_reset_links", &[]),
    Call("list_caseload", &[("q", ""), ("status", ""), ("page", "1")]),
    Call("get_case_section", &[("couple_id", "{couples}")]),
    Call(
        "get_case_section",
        &[("couple_id", "{couples}"), ("section", "homework")],
    ),
    Call(
        "get_case_section",
        &[("couple_id", "{couples}"), ("section", "progress")],
    ),
    Call(
        "get_case_section",
        &[("couple_id", "{couples}"), ("section", "agreements")],
    ),
    Call(
        "get_case_section",
        &[("couple_id", "{couples}"), ("section", "sessions")],
    ),
    Call(
        "get_case_section",
        &[("couple_id", "{couples}"), ("section", "partners")],
    ),
    Call(
        "get_case_section",
        &[("couple_id", "{couples}"), ("section", "timeline")],
    ),
    Call("get_couple", &[("couple_id", "{couples}")]),
    Call("my_couples", &[]),
    Call("my_homework", &[]),
    Call("get_homework", &[("assignment_id", "{assignments}")]),
    Call("get_assignment", &[("assignment_id", "{assignments}")]),
    Call("assignment_form", &[("couple_id", "{couples}")]),
    Call("review_queue", &[]),
    Call("get_note", &[("note_id", "{notes}")]),
    Call("my_supervised_notes", &[]),
    Call("get_session", &[("session_id", "{sessions}")]),
    Call("my_agenda", &[]),
    Call("my_sessions", &[]),
    Call("session_places", &[]),
    Call("my_calendar", &[]),
    Call("my_check_in", &[]),
    Call("my_check_in", &[("couple_id", "{couples}")]),
    Call("my_home_cards", &[]),
    Call("my_home_cards", &[("couple_id", "{couples}")]),
    Call(
        "get_report",
        &[
            ("couple_id", "{couples}"),
            ("from", "2020-01-01"),
            ("notes", "on"),
            ("psychotherapy", "on"),
        ],
    ),
    Call("my_wins", &[]),
    Call("my_wins", &[("couple_id", "{couples}")]),
    Call("my_agreements", &[]),
    Call("my_agreements", &[("couple_id", "{couples}")]),
    Call("my_step", &[]),
    Call("my_step", &[("couple_id", "{couples}")]),
    Call("list_programs", &[]),
    Call("get_program", &[("program_id", "{programs}")]),
    Call("get_template_edit", &[("template_id", "{templates}")]),
];

/// Server functions that change something. They return no content of their own; the access
/// rows call each of them as every actor, and what they answer is read like any place.
pub const WRITES: &[&str] = &[
    "accept_invitation",
    "accept_invitation_with_account",
    "acknowledge_agreement",
    "acknowledge_flag",
    "add_addendum",
    "add_agenda_item",
    "add_goal",
    "assign_homework",
    "autosave_homework",
    "autosave_note",
    "cancel_homework",
    "confirm_mfa_setup",
    "cosign_note",
    "create_couple",
    "create_first_admin",
    "decide_agreement",
    "duplicate_program",
    "end_agreement",
    "invite_counselor",
    "invite_partner",
    "move_couple_step",
    "post_win",
    "propose_agreement",
    "react_to_win",
    "reassign_couple",
    "renew_recovery_codes",
    "reschedule_session",
    "reset_mfa",
    "review_homework",
    "revoke_counselor_invitation",
    "revoke_partner_invitation",
    "save_homework",
    "save_note",
    "save_template",
    "schedule_session",
    "set_account_active",
    "set_case_status",
    "set_check_in_days",
    "set_csi_enabled",
    "set_email_reminders",
    "set_goal_status",
    "set_retention_years",
    "add_crisis_resource",
    "remove_crisis_resource",
    "set_crisis_response",
    "sign_consent",
    "publish_consent",
    "set_session_status",
    "set_supervision",
    "set_time_zone",
    "set_two_factor_required",
    "sign_in",
    "sign_out",
    "start_mfa_setup",
    "start_note",
    "submit_check_in",
    "turn_off_mfa",
    "update_couple",
    "verify_sign_in_code",
    "write_agreement",
    // Secure messages.
    "send_message",
    "reply_message",
    "retract_message",
    "open_joint_thread",
    "set_messaging",
    // Small wins walls.
    "set_wins_wall",
    "set_wins_from_step",
    // The intake questionnaire.
    "save_intake",
    // Questionnaires.
    "answer_measure",
    "set_measures",
    // Work done together.
    "save_joint",
    "cancel_joint",
    "joint_agreements",
    // Passwords.
    "change_password",
    "forgot_password",
    "reset_password",
    "make_partner_reset_link",
    "make_reset_link",
    // Calendar feeds.
    "make_calendar_link",
    "set_calendar_names",
    "stop_calendar_link",
    // Where sessions happen.
    "set_meeting_link",
    "set_practice_address",
];

/// Routes that are not places to read: single sign-on's way in and back (the OIDC tests
/// cover them with a provider).
pub const NOT_READS: &[&str] = &["/auth/oidc/start", "/auth/oidc/callback"];

/// Places read by whoever holds their address rather than by who is signed in: each is read
/// as the person it belongs to (`feeds.rs`).
pub const READ_AS_OWNER: &[&str] = &["/calendar/{file}"];

/// Every route and server function the app serves has its line.
pub fn check_coverage(failures: &mut Vec<String>) {
    let surface = server::startup::surface();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    for read in READS {
        match read {
            Get(pattern, _) => covered.insert(pattern.to_string()),
            Call(endpoint, _) => covered.insert(endpoint.to_string()),
        };
    }
    covered.extend(WRITES.iter().map(|w| w.to_string()));
    covered.extend(NOT_READS.iter().map(|w| w.to_string()));
    covered.extend(READ_AS_OWNER.iter().map(|w| w.to_string()));
    let served: BTreeSet<String> = surface
        .server_fns
        .iter()
        .map(|p| p.trim_start_matches("/api/").to_string())
        .chain(surface.pages.iter().cloned())
        .chain(surface.handlers.iter().cloned())
        .collect();
    for missing in served.difference(&covered) {
        failures.push(format!(
            "{missing} has no line in the privacy places (a place to read, or a write)"
        ));
    }
    for gone in covered.difference(&served) {
        failures.push(format!(
            "the privacy places name {gone}, which is not served"
        ));
    }
}

/// Opens every place as every actor and observes what each is shown.
pub async fn read_everywhere(world: &mut World<'_>, failures: &mut Vec<String>) -> usize {
    let mut opened = 0;
    for read in READS {
        let targets: Vec<(String, Vec<(String, String)>)> = match read {
            Get(_, path) => world
                .expand(path)
                .await
                .into_iter()
                .map(|p| (p, Vec::new()))
                .collect(),
            Call(endpoint, args) => {
                // Expand each argument, then take every combination.
                let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
                for (k, v) in *args {
                    let values = world.expand(v).await;
                    combos = combos
                        .into_iter()
                        .flat_map(|c| {
                            values.iter().map(move |val| {
                                let mut c = c.clone();
                                c.push((k.to_string(), val.clone()));
                                c
                            })
                        })
                        .collect();
                }
                combos
                    .into_iter()
                    .map(|c| (format!("/api/{endpoint}"), c))
                    .collect()
            }
        };
        for (target, args) in targets {
            let what = match read {
                Get(..) => format!("GET {target}"),
                Call(..) => format!("{target} {args:?}"),
            };
            let viewers = ALL
                .iter()
                .map(|a| (*a, None))
                .chain((0..world.extra.len()).map(|i| (world.extra[i].0, Some(i))))
                .collect::<Vec<_>>();
            for (actor, extra) in viewers {
                let page = read_as(world, actor, extra, read, &target, &args).await;
                let what = match extra {
                    None => what.clone(),
                    Some(i) => format!("{what} [{}]", world.extra[i].1),
                };
                if page.status >= 500 {
                    failures.push(format!(
                        "{what} as {actor:?}: {} {}",
                        page.status, page.body
                    ));
                }
                world.observe(actor, &what, &page.body, failures);
                opened += 1;
            }
        }
    }
    opened
}

/// Reads as the actor, in their own browser or (`extra`) in another they hold.
async fn read_as(
    world: &mut World<'_>,
    actor: Actor,
    extra: Option<usize>,
    read: &Read,
    target: &str,
    args: &[(String, String)],
) -> crate::helpers::Page {
    let b = match extra {
        Some(i) => &mut world.extra[i].2,
        None => world.browser(actor),
    };
    match read {
        Get(..) => b.get(target).await,
        Call(..) => {
            let form: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            b.call(target, &form).await
        }
    }
}
