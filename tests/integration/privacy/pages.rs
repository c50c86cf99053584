//! Rows for every page route and plain handler: the pattern the app serves, a concrete
//! address in the target case, and who may open it. A refused actor is sent to sign in
//! (anonymous), or gets 403/404, or is sent home (a signed-in person on the sign-in page).

use super::world::World;
use super::{
    A_ONLY, ADMIN, Actor, CASE_COUNSELOR, COUNSELORS, EVERYONE, NOBODY, NOTE_READERS, PARTNERS,
    SIGNED_IN, order, refused,
};
use Actor::*;

pub struct Route {
    pub pattern: &'static str,
    pub path: &'static str,
    pub allow: &'static [Actor],
    pub post: bool,
}

const fn page(pattern: &'static str, path: &'static str, allow: &'static [Actor]) -> Route {
    Route {
        pattern,
        path,
        allow,
        post: false,
    }
}

pub const ROUTES: &[Route] = &[
    page("/", "/", SIGNED_IN),
    page("/login", "/login", &[Anonymous]),
    page("/help", "/help", EVERYONE),
    page("/admin/help", "/admin/help", ADMIN),
    page("/consent", "/consent", SIGNED_IN),
    page("/admin/consent", "/admin/consent", ADMIN),
    page(
        "/consent/records/{id}",
        "/consent/records/{consent_a}",
        &[PartnerA, Counselor],
    ),
    page("/login/two-factor", "/login/two-factor", &[Anonymous]),
    page("/account/two-factor", "/account/two-factor", super::STAFF),
    // First run is over once an account exists: the page says so and points to sign-in.
    page("/setup", "/setup", &[Anonymous]),
    page("/cases/new", "/cases/new", COUNSELORS),
    page("/cases/{id}", "/cases/{couple}", CASE_COUNSELOR),
    page(
        "/cases/{id}/homework",
        "/cases/{couple}/homework",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/progress",
        "/cases/{couple}/progress",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/agreements",
        "/cases/{couple}/agreements",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/sessions",
        "/cases/{couple}/sessions",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/partners",
        "/cases/{couple}/partners",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/timeline",
        "/cases/{couple}/timeline",
        CASE_COUNSELOR,
    ),
    page("/cases/{id}/edit", "/cases/{couple}/edit", CASE_COUNSELOR),
    page(
        "/cases/{id}/assign",
        "/cases/{couple}/assign",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/report",
        "/cases/{couple}/report",
        CASE_COUNSELOR,
    ),
    page(
        "/assignments/{id}",
        "/assignments/{assignment_a}",
        CASE_COUNSELOR,
    ),
    page("/homework/{id}", "/homework/{assignment_a}", A_ONLY),
    // Work done together: both partners and their counselor.
    page(
        "/together/{id}",
        "/together/{joint}",
        &[PartnerA, PartnerB, Counselor],
    ),
    page("/agenda", "/agenda", COUNSELORS),
    page("/sessions/{id}", "/sessions/{session}", CASE_COUNSELOR),
    // One joint session as a calendar file: its counselor and both partners.
    page(
        "/sessions/{id}/calendar.ics",
        "/sessions/{session}/calendar.ics",
        &[PartnerA, PartnerB, Counselor],
    ),
    // A feed is opened by whoever holds its address, signed in or not. (This one is the
    // administrator's, which lists no sessions; `feeds.rs` reads everyone's as its owner.)
    page("/calendar/{file}", "/calendar/{new_admin_feed}", EVERYONE),
    page("/notes/{id}", "/notes/{note}", NOTE_READERS),
    page("/supervision", "/supervision", COUNSELORS),
    page("/reviews", "/reviews", COUNSELORS),
    page("/programs", "/programs", COUNSELORS),
    page("/programs/{id}", "/programs/{program}", COUNSELORS),
    page(
        "/programs/{id}/steps/{step}/new",
        "/programs/{program_copy}/steps/2/new",
        COUNSELORS,
    ),
    page(
        "/templates/{template}/edit",
        "/templates/{template}/edit",
        COUNSELORS,
    ),
    page("/agreements", "/agreements", PARTNERS),
    page("/check-in", "/check-in", PARTNERS),
    page("/settings", "/settings", SIGNED_IN),
    page("/invite/{token}", "/invite/{new_partner_token}", EVERYONE),
    // Asking for a password reset link, and what a link opens (its holder may).
    page("/forgot", "/forgot", EVERYONE),
    page("/reset/{token}", "/reset/{new_reset_token}", EVERYONE),
    page("/admin/overview", "/admin/overview", ADMIN),
    page("/admin/supervision", "/admin/supervision", ADMIN),
    page("/admin/couples", "/admin/couples", ADMIN),
    page("/admin/audit", "/admin/audit", ADMIN),
    // Plain handlers.
    page("/healthz", "/healthz", EVERYONE),
    page(
        "/cases/{id}/export/check-ins.csv",
        "/cases/{couple}/export/check-ins.csv",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/export/homework.csv",
        "/cases/{couple}/export/homework.csv",
        CASE_COUNSELOR,
    ),
    page(
        "/cases/{id}/export.json",
        "/cases/{couple}/export.json",
        CASE_COUNSELOR,
    ),
    page("/export/my-data.json", "/export/my-data.json", PARTNERS),
    // Secure messages.
    page("/messages", "/messages", PARTNERS),
    page("/intake", "/intake", PARTNERS),
    page(
        "/cases/{id}/intake",
        "/cases/{couple}/intake",
        CASE_COUNSELOR,
    ),
    // Only the partner whose counselor chose the PHQ-9 for them (Casey).
    page("/measures/{key}", "/measures/phq9", &[PartnerB]),
    page(
        "/cases/{id}/export/measures.csv",
        "/cases/{couple}/export/measures.csv",
        CASE_COUNSELOR,
    ),
    page("/messages/joint", "/messages/joint", PARTNERS),
    page(
        "/cases/{id}/messages/{thread}",
        "/cases/{couple}/messages/1",
        CASE_COUNSELOR,
    ),
    page("/admin/messages", "/admin/messages", ADMIN),
    // Single sign-on is not configured in this practice: both answer "not found" (oidc.rs
    // covers them with a provider).
    Route {
        pattern: "/auth/oidc/start",
        path: "/auth/oidc/start",
        allow: NOBODY,
        post: true,
    },
    page(
        "/auth/oidc/callback",
        "/auth/oidc/callback?code=x&state=y",
        NOBODY,
    ),
];

pub async fn check_routes(world: &mut World<'_>, failures: &mut Vec<String>) {
    for route in ROUTES {
        for actor in order(route.allow) {
            let allowed = route.allow.contains(&actor);
            let path = world.fill(route.path).await;
            let before = super::tables::table_contents(world.app).await;
            let b = world.browser(actor);
            let res = if route.post {
                b.submit("/login", &path, &[]).await
            } else {
                b.get(&path).await
            };
            let what = format!("GET {path} ({}) as {actor:?}", route.pattern);
            let sent_away = (300..400).contains(&res.status)
                && matches!(res.location.as_deref(), Some("/login") | Some("/"));
            if allowed && res.status != 200 {
                failures.push(format!(
                    "{what}: allowed, got {} {:?}",
                    res.status, res.location
                ));
            }
            if !allowed {
                if !(refused(res.status) || sent_away) {
                    failures.push(format!(
                        "{what}: denied, got {} {:?}",
                        res.status, res.location
                    ));
                }
                let after = super::tables::table_contents(world.app).await;
                let changed = super::tables::changed(&before, &after);
                if !changed.is_empty() {
                    failures.push(format!("{what}: refused but changed {changed:?}"));
                }
            }
            world.observe(actor, &what, &res.body, failures);
        }
    }
}
