//! Trellis: case tracking for couples counselors helping couples rebuild trust.
//! This crate is compiled twice: for the server (`ssr`) and for the browser (`hydrate`).
//! Pages render on the server; only `#[island]` components ship to the browser.

// Leptos views are nested types; the browser build computes their layouts deeply.
#![recursion_limit = "256"]

pub mod audit;
pub mod auth;
pub mod components;
pub mod compositions;
pub mod couple;
pub mod error;
pub mod features;
pub mod ids;
pub mod valid;
pub mod wire;

#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod time;

use compositions::case_page::ui::CasePage;
use couple::CaseSection;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    strict_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Trellis: case tracking for couples counseling" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
                <components::HydrationMarker />
            </body>
        </html>
    }
}

/// The policy for every page: scripts only with this response's nonce (and what they load),
/// WebAssembly allowed to compile, everything else from this server only, and no framing.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; frame-ancestors 'none'"
    )
}

/// Sends the page's policy with the nonce leptos put on its inline scripts.
#[cfg(feature = "ssr")]
fn strict_content_security_policy() {
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) =
        http::HeaderValue::from_str(&content_security_policy(&nonce.to_string()))
    {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/trellis.css" />
        <Title text="Trellis" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=compositions::home::ui::HomePage ssr=SsrMode::Async />
                <Route path=path!("/login") view=features::sign_in::ui::SignInPage ssr=SsrMode::Async />
                <Route path=path!("/forgot") view=features::passwords::ui::ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/reset/:token") view=features::passwords::ui::ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/setup") view=features::sign_in::ui::FirstRunPage ssr=SsrMode::Async />
                <Route path=path!("/login/two-factor") view=features::sign_in::second_step::SecondStepPage ssr=SsrMode::Async />
                <Route path=path!("/account/two-factor") view=features::sign_in::two_factor::TwoFactorPage ssr=SsrMode::Async />
                <Route path=path!("/cases/new") view=features::cases::ui::NewCouplePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:id") view=|| view! { <CasePage section=CaseSection::Overview /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/homework") view=|| view! { <CasePage section=CaseSection::Homework /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/progress") view=|| view! { <CasePage section=CaseSection::Progress /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/agreements") view=|| view! { <CasePage section=CaseSection::Agreements /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/sessions") view=|| view! { <CasePage section=CaseSection::Sessions /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/partners") view=|| view! { <CasePage section=CaseSection::Partners /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/timeline") view=|| view! { <CasePage section=CaseSection::Timeline /> } ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/edit") view=features::cases::ui::EditCouplePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/assign") view=features::homework::ui::AssignPage ssr=SsrMode::Async />
                <Route path=path!("/assignments/:id") view=features::homework::ui::AssignmentPage ssr=SsrMode::Async />
                <Route path=path!("/homework/:id") view=features::homework::ui::HomeworkAnswerPage ssr=SsrMode::Async />
                <Route path=path!("/together/:id") view=features::homework::ui::JointWorkPage ssr=SsrMode::Async />
                <Route path=path!("/agenda") view=features::sessions::ui::AgendaPage ssr=SsrMode::Async />
                <Route path=path!("/sessions/:id") view=compositions::session_page::ui::SessionPageView ssr=SsrMode::Async />
                <Route path=path!("/notes/:id") view=features::notes::ui::NotePage ssr=SsrMode::Async />
                <Route path=path!("/supervision") view=features::notes::ui::SupervisedNotesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/overview") view=features::admin::ui::OverviewPage ssr=SsrMode::Async />
                <Route path=path!("/admin/supervision") view=features::notes::ui::SupervisionAdminPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/report") view=compositions::report::ui::ReportPage ssr=SsrMode::Async />
                <Route path=path!("/agreements") view=features::agreements::ui::AgreementsPage ssr=SsrMode::Async />
                <Route path=path!("/check-in") view=features::progress::ui::CheckInFormPage ssr=SsrMode::Async />
                <Route path=path!("/settings") view=features::reminders::ui::SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/reviews") view=features::homework::ui::ReviewQueuePage ssr=SsrMode::Async />
                <Route path=path!("/programs") view=features::program::ui::ProgramsPage ssr=SsrMode::Async />
                <Route path=path!("/programs/:id") view=features::program::ui::ProgramPage ssr=SsrMode::Async />
                <Route path=path!("/programs/:id/steps/:step/new") view=features::program::ui::TemplateEditPage ssr=SsrMode::Async />
                <Route path=path!("/templates/:template/edit") view=features::program::ui::TemplateEditPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=features::invitations::ui::InvitationPageView ssr=SsrMode::Async />
                <Route path=path!("/admin/couples") view=features::admin::ui::CouplesAdminPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=features::admin::ui::AuditLogPage ssr=SsrMode::Async />
                <Route path=path!("/admin/help") view=features::safety::ui::CrisisSettingsPage ssr=SsrMode::Async />
                <Route path=path!("/help") view=features::safety::ui::HelpPage ssr=SsrMode::Async />
                // Secure messages.
                <Route path=path!("/messages") view=features::messages::ui::MyThreadPage ssr=SsrMode::Async />
                <Route path=path!("/messages/joint") view=features::messages::ui::MyJointThreadPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/messages/:thread") view=features::messages::ui::CaseThreadPage ssr=SsrMode::Async />
                <Route path=path!("/admin/messages") view=features::messages::ui::MessagingSettingsPage ssr=SsrMode::Async />
                // Consent and intake (issue 15, part 2).
                <Route path=path!("/consent") view=features::consent::ui::ConsentPage ssr=SsrMode::Async />
                <Route path=path!("/consent/records/:id") view=features::consent::ui::ConsentRecordPage ssr=SsrMode::Async />
                <Route path=path!("/admin/consent") view=features::consent::ui::ConsentSettingsPage ssr=SsrMode::Async />
                <Route path=path!("/intake") view=features::intake::ui::IntakePage ssr=SsrMode::Async />
                <Route path=path!("/measures/:key") view=features::measures::ui::MeasurePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:id/intake") view=features::intake::ui::CaseIntakePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found · Trellis" />
        <main id="main" class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Go to your home page"</a> "."</p>
        </main>
    }
}

/// Browser entry point: wakes up the islands on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
