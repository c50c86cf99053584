//! One thread on screen: who reads it, when the practice replies, the messages (kept fresh by
//! a small island with JavaScript on), and the box to write in, or why it is closed.

use super::super::api::{OpenJointThread, ReplyMessage, SendMessage};
use super::super::{MAX_MESSAGE, MessageView, POLL_SECONDS, ThreadPage};
use crate::components::{ActionError, RETURN_FIELD, ReturnTo, error_of};
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
            <ThreadMessages>
                <div class="thread-list" data-couple=couple_id.clone() data-thread=thread.clone()
                    data-reader=if page.counselor { "counselor" } else { "partner" }>
                    <MessageList messages=page.messages.clone() back=page.href.clone() />
                </div>
            </ThreadMessages>
        })}
        <p id="message-readers" class="thread-readers"><strong>"Who reads this: "</strong>{page.readers.clone()}</p>
        {box_view}
        {open_button}
    }
}

/// Keeps the messages it wraps fresh: with JavaScript on it asks for new ones every
/// `POLL_SECONDS` (which also marks them read) and puts the server's HTML of the list in
/// place; without it, reloading the page does. Which thread, and as whom, it reads from
/// the list's `data-` attributes: an island's props would be sent as JSON, and the
/// browser carries no JSON reader (see `crate::wire`).
#[island]
fn ThreadMessages(children: Children) -> impl IntoView {
    let live = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(list) = section
            .get()
            .and_then(|s| s.query_selector(".thread-list").ok().flatten())
        {
            live.set(true);
            poll(list);
        }
    });
    view! {
        <section class="thread" aria-label="Messages" node_ref=section>{children()}</section>
        <p class="help" aria-live="polite">
            {move || live.get().then(|| format!("New messages appear here by themselves (checked every {POLL_SECONDS} seconds)."))}
        </p>
    }
}

/// Every `POLL_SECONDS`, the thread's messages as the server renders them now, in place of
/// the list. After the first answer, only an answer that differs from the last one replaces
/// the list, so a "Retract" button in focus keeps its focus until something changes.
#[cfg(feature = "hydrate")]
fn poll(list: web_sys::Element) {
    use super::super::api::{case_thread_messages, my_thread_messages};
    let attr = |name: &str| list.get_attribute(name).unwrap_or_default();
    let (couple_id, thread) = (attr("data-couple"), attr("data-thread"));
    let counselor = attr("data-reader") == "counselor";
    let shown: StoredValue<String, LocalStorage> = StoredValue::new_local(String::new());
    let _ = leptos::prelude::set_interval_with_handle(
        move || {
            let (couple_id, thread, list) = (couple_id.clone(), thread.clone(), list.clone());
            leptos::task::spawn_local(async move {
                let news = if counselor {
                    case_thread_messages(couple_id.into(), thread).await
                } else {
                    my_thread_messages(couple_id, thread).await
                };
                if let Ok(html) = news
                    && shown.with_value(|s| *s != html)
                {
                    list.set_inner_html(&html);
                    shown.set_value(html);
                }
            });
        },
        std::time::Duration::from_secs(POLL_SECONDS),
    );
}

/// The messages, oldest first. `back`: the thread's page, where retracting one returns to.
#[component]
fn MessageList(messages: Vec<MessageView>, back: String) -> impl IntoView {
    if messages.is_empty() {
        view! { <p class="empty-state">"No messages yet."</p> }.into_any()
    } else {
        view! {
            <ol class="messages">
                {messages.into_iter().map(|m| view! { <Message m=m back=back.clone() /> }).collect_view()}
            </ol>
        }
        .into_any()
    }
}

/// The messages as HTML, for `ThreadMessages` to put in place of the list it shows.
#[cfg(feature = "ssr")]
pub fn messages_html(page: ThreadPage) -> String {
    Owner::new().with(|| view! { <MessageList messages=page.messages back=page.href /> }.to_html())
}

#[component]
fn Message(m: MessageView, back: String) -> impl IntoView {
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
                    <input type="hidden" name=RETURN_FIELD value=back />
                    <input type="hidden" name="message_id" value=m.message_id.clone() />
                    <button type="submit" class="button-quiet">"Retract this message"</button>
                </form>
            })}
        </li>
    }
}
