//! The home page, chosen by role.

use crate::auth::{CurrentUser, Role};
use crate::components::SignedIn;
use crate::features::accounts::ui::AccountsList;
use crate::features::cases::ui::CaseloadView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <SignedIn>
            <RoleHome />
        </SignedIn>
    }
}

#[component]
fn RoleHome() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    match user.role {
        Role::Admin => view! {
            <Title text="Accounts · Trellis" />
            <h1>"Accounts"</h1>
            <AccountsList />
        }
        .into_any(),
        Role::Counselor => view! { <CaseloadView /> }.into_any(),
        Role::Partner => view! {
            <Title text="Home · Trellis" />
            <h1>{format!("Welcome, {}", first_name(&user.display_name))}</h1>
            <p class="empty-state">
                "Nothing to do yet. When your counselor sets homework for you, it will appear here."
            </p>
        }
        .into_any(),
    }
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}
