//! Message pages: a partner's private thread (`/messages`) and joint thread
//! (`/messages/joint`), the counselor's view of each (`/cases/:id/messages/:thread`), the
//! administrator's settings (`/admin/messages`), and the cards that link to threads.

mod settings;
mod thread;

pub use settings::MessagingSettingsPage;
pub use thread::ThreadView;
#[cfg(feature = "ssr")]
pub use thread::messages_html;

use super::ThreadLink;
use super::api::{case_thread, my_thread};
use crate::components::{SignedIn, load_error};
use crate::ids::CoupleId;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/messages`: the partner's private thread with their counselor.
#[component]
pub fn MyThreadPage() -> impl IntoView {
    view! { <PartnerThread joint=false /> }
}

/// `/messages/joint`: the couple's joint thread, once the counselor has opened it.
#[component]
pub fn MyJointThreadPage() -> impl IntoView {
    view! { <PartnerThread joint=true /> }
}

#[component]
fn PartnerThread(joint: bool) -> impl IntoView {
    let query = use_query_map();
    let couple = move || query.read().get("couple").unwrap_or_default();
    let thread = if joint { "joint" } else { "private" };
    let page = Resource::new_blocking(couple, move |couple| {
        my_thread(couple, thread.to_string(), String::new())
    });
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => Either::Left(view! { <ThreadView page=page /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

/// `/cases/:id/messages/:thread`: a thread of the couple, for their counselor.
#[component]
pub fn CaseThreadPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            CoupleId::from(p.get("id").unwrap_or_default()),
            p.get("thread").unwrap_or_default(),
        )
    };
    let page = Resource::new_blocking(key, |(couple_id, thread)| {
        case_thread(couple_id, thread, String::new())
    });
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => {
                            let back = format!("/cases/{}", page.couple_id);
                            Either::Left(view! {
                                <p><a href=back>"Back to the case"</a></p>
                                <ThreadView page=page />
                            })
                        }
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

/// Links to threads, each with its unread count: on a partner's home and the case page.
#[component]
pub fn MessagesCard(
    threads: Vec<ThreadLink>,
    #[prop(into)] heading: String,
    /// The counselor's case page may open a joint thread from here.
    open_joint: Option<String>,
) -> impl IntoView {
    let total: i64 = threads.iter().map(|t| t.unread).sum();
    view! {
        <section class="card messages-card" id="messages" aria-labelledby="messages-heading">
            <h2 id="messages-heading">{heading}</h2>
            {(total > 0).then(|| view! {
                <p class="unread-total"><strong>{format!("{total} unread message{}", if total == 1 { "" } else { "s" })}</strong></p>
            })}
            <ul>
                {threads.into_iter().map(|t| view! {
                    <li>
                        <a href=t.href>{t.label}</a>
                        {(t.unread > 0).then(|| view! { " " <span class="badge">{format!("{} unread", t.unread)}</span> })}
                        {t.asked_privately.then(|| view! { " " <span class="badge badge-alert">"Asked to talk privately"</span> })}
                    </li>
                }).collect_view()}
            </ul>
            {open_joint.map(|href| view! {
                <p><a href=href>"Open a joint thread for the couple"</a></p>
            })}
        </section>
    }
}
