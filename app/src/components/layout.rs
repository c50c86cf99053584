//! The signed-in shell: header with the product name, the person's name and role, their
//! navigation and sign-out; the page itself below.

use crate::auth::{CurrentUser, Role};
use crate::components::{QuickExit, ReturnTo};
use leptos::either::Either;
use leptos::prelude::*;

/// Wraps a page that needs someone signed in; provides the `CurrentUser` to the page.
///
/// The person is read straight from the request (the middleware resolved the session), not
/// through a resource: a page then has at most one `Suspense`, never nested ones, which
/// Leptos's streaming renderer can stall on under a multi-threaded runtime.
#[component]
pub fn SignedIn(children: Children) -> impl IntoView {
    match signed_in_user() {
        Some(user) => {
            provide_context(user.clone());
            Either::Left(view! {
                <Header user=user />
                <main id="main" class="page">{children()}</main>
            })
        }
        None => Either::Right(view! {
            <main id="main" class="page narrow">
                <h1>"Please sign in"</h1>
                <p>"Your session has ended. " <a href="/login">"Sign in again"</a> " to continue."</p>
            </main>
        }),
    }
}

/// The signed-in person of the request being rendered (pages render on the server only).
fn signed_in_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        crate::auth::guard::request_context()
            .session
            .map(|s| s.user)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

fn nav_links(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Admin => &[
            ("/", "Accounts"),
            ("/admin/couples", "Couples"),
            ("/admin/audit", "Audit log"),
            ("/admin/supervision", "Supervision"),
            ("/admin/overview", "Overview"),
            ("/admin/help", "Crisis help"),
            ("/admin/messages", "Messages"),
            ("/admin/consent", "Consent"),
            ("/settings", "Settings"),
        ],
        Role::Counselor => &[
            ("/", "Caseload"),
            ("/agenda", "Agenda"),
            ("/reviews", "To review"),
            ("/programs", "Programs"),
            ("/settings", "Settings"),
        ],
        Role::Partner => &[
            ("/", "Home"),
            ("/check-in", "Check-in"),
            ("/messages", "Messages"),
            ("/agreements", "Agreements"),
            ("/settings", "Settings"),
        ],
    }
}

#[component]
fn Header(user: CurrentUser) -> impl IntoView {
    let links = nav_links(user.role)
        .iter()
        .map(|(href, label)| view! { <li><a href=*href>{*label}</a></li> })
        .collect_view();
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <a class="brand" href="/">"Trellis"</a>
            <nav aria-label="Main"><ul>{links}</ul></nav>
            // Partners reach crisis help from every page (it is open to anyone), and can leave
            // Trellis at once.
            {(user.role == Role::Partner).then(|| view! {
                <div class="partner-safety">
                    <a class="get-help" href="/help">"Get help now"</a>
                    <QuickExit />
                </div>
            })}
            <div class="who">
                <span class="who-name" data-testid="current-user-name">{user.display_name}</span>
                <span class="who-role">{user.role.label()}</span>
            </div>
            // A plain form: signing out reloads the whole page either way, with or without
            // JavaScript (`features::sign_in::api::sign_out` answers it).
            <form action="/api/sign_out" method="post" class="sign-out">
                <ReturnTo />
                <button type="submit" class="button-quiet">"Sign out"</button>
            </form>
        </header>
    }
}
