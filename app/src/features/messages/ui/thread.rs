//! One thread on screen: who reads it, when the practice replies, the messages (kept fresh by
//! a small island with JavaScript on), and the box to write in, or why it is closed.

use super::super::api::{OpenJointThread, ReplyMessage, SendMessage};
use super::super::{MAX_MESSAGE, MessageView, POLL_SECONDS, ThreadPage};
use crate::components::{ActionError, ReturnTo, error_of};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ThreadView(page: ThreadPage) -> impl IntoView {
    let send = ServerAction::<SendMessage>::new();
    let reply = ServerAction::<ReplyMessage>::new();
    let open_joint = ServerAction::<OpenJointThread>::new();
    let (couple_id, thread) = (page.couple_id.clone(), page.thread.clone());
    let others = page
        .others
        .iter()
        .map(|l| {
            let unread = (l.unread > 0).then(|| {
                view! { <span class="badge">{format!("{} unread", l.unread)}</span> }
            });
            view! { <li><a href=l.href.clone()>{l.label.clone()}</a> " " {unread}</li> }
        })
        .collect_view();
    let hint = format!(
        "Up to {MAX_MESSAGE} characters. A message cannot be edited once sent; you can retract it in the first five minutes."
    );
    let (form_couple, form_thread) = (couple_id.clone(), thread.clone());
    let box_view = if page.can_write {
        let fields = view! {
            <label for="message-body">"Your message"</label>
            <textarea id="message-body" name="body" rows="5" maxlength=MAX_MESSAGE.to_string()
                required aria-describedby="message-readers message-hint"></textarea>
            <p id="message-hint" class="help">{hint}</p>
            <button type="submit" class="button-primary">"Send the message"</button>
        };
        if page.counselor {
            view! {
                <ActionForm action=reply attr:class="form-stack message-box">
                    <ReturnTo />
                    <ActionError error=error_of(reply) />
                    <input type="hidden" name="couple_id" value=form_couple.clone() />
                    <input type="hidden" name="thread" value=form_thread.clone() />
                    {fields}
                </ActionForm>
            }
            .into_any()
        } else {
            view! {
                <ActionForm action=send attr:class="form-stack message-box">
                    <ReturnTo />
                    <ActionError error=error_of(send) />
                    <input type="hidden" name="couple_id" value=form_couple.clone() />
                    <input type="hidden" name="thread" value=form_thread.clone() />
                    {fields}
                </ActionForm>
            }
            .into_any()
        }
    } else {
        let reason = page.closed_reason.clone().unwrap_or_default();
        view! {
            <div class="message message-info message-closed" role="status">
                <p>{reason}</p>
                <p>"If you need help now, " <a href="/help">"get help now"</a> "."</p>
            </div>
        }
        .into_any()
    };
    let joint_couple = couple_id.clone();
    let open_button = (page.counselor && !page.open && page.closed_reason.is_some()).then(|| {
        view! {
            <ActionForm action=open_joint attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(open_joint) />
                <input type="hidden" name="couple_id" value=joint_couple />
                <p>"A joint thread is read by both partners and you. Open it when the couple would like to write to you together."</p>
                <button type="submit" class="button-secondary">"Open a joint thread"</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=format!("{} · Trellis", page.heading) />
        <h1>{page.heading.clone()}</h1>
        {page.asked_privately.then(|| view! {
            <p class="message message-error private-talk" role="alert">
                <strong>"Asked to talk privately. "</strong>
                "In a check-in, this partner answered \u{201c}I'd rather talk to my counselor privately\u{201d}. Acknowledge the flag on the case page once you have been in touch."
            </p>
        })}
        {(!page.others.is_empty()).then(|| view! {
            <nav aria-label="Other threads" class="thread-others"><ul>{others}</ul></nav>
        })}
        <p class="help thread-response">
            {page.response.clone()} " " <a class="get-help" href="/help">"Get help now"</a>
        </p>
        {page.open.then(|| view! {
            <ThreadMessages couple_id=couple_id.clone() thread=thread.clone()
                counselor=page.counselor initial=page.messages.clone() />
        })}
        <p id="message-readers" class="thread-readers"><strong>"Who reads this: "</strong>{page.readers.clone()}</p>
        {box_view}
        {open_button}
    }
}

/// The messages, oldest first. With JavaScript on it asks for new ones every
/// `POLL_SECONDS` (which also marks them read); without it, reloading the page does.
#[island]
fn ThreadMessages(
    couple_id: String,
    thread: String,
    counselor: bool,
    initial: Vec<MessageView>,
) -> impl IntoView {
    let messages = RwSignal::new(initial);
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        #[cfg(feature = "hydrate")]
        {
            let (couple_id, thread) = (couple_id.clone(), thread.clone());
            let _ = leptos::prelude::set_interval_with_handle(
                move || {
                    let (couple_id, thread) = (couple_id.clone(), thread.clone());
                    leptos::task::spawn_local(async move {
                        let page = if counselor {
                            super::super::api::case_thread(couple_id.into(), thread, "1".into())
                                .await
                        } else {
                            super::super::api::my_thread(couple_id, thread, "1".into()).await
                        };
                        if let Ok(page) = page {
                            messages.set(page.messages);
                        }
                    });
                },
                std::time::Duration::from_secs(POLL_SECONDS),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&couple_id, &thread, counselor);
    });
    view! {
        <section class="thread" aria-label="Messages">
            {move || {
                let list = messages.get();
                if list.is_empty() {
                    view! { <p class="empty-state">"No messages yet."</p> }.into_any()
                } else {
                    view! {
                        <ol class="messages">
                            {list.into_iter().map(|m| view! { <Message m=m /> }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            }}
            <p class="help" aria-live="polite">
                {move || live.get().then(|| format!("New messages appear here by themselves (checked every {POLL_SECONDS} seconds)."))}
            </p>
        </section>
    }
}

#[component]
fn Message(m: MessageView) -> impl IntoView {
    let class = if m.mine { "msg msg-mine" } else { "msg" };
    let body = match (m.body, m.retracted) {
        (Some(body), _) => view! { <p class="msg-body prose">{body}</p> }.into_any(),
        (None, Some(trace)) => view! { <p class="msg-retracted muted">{trace}</p> }.into_any(),
        (None, None) => ().into_any(),
    };
    view! {
        <li class=class>
            <p class="msg-head">
                <strong>{m.author}</strong> " \u{b7} " <span class="muted">{m.sent}</span>
                {m.unread.then(|| view! { " " <span class="badge">"New"</span> })}
            </p>
            {body}
            {m.can_retract.then(|| view! {
                <form method="post" action="/api/retract_message" class="inline-form">
                    <ReturnTo />
                    <input type="hidden" name="message_id" value=m.message_id.clone() />
                    <button type="submit" class="button-quiet">"Retract this message"</button>
                </form>
            })}
        </li>
    }
}
