//! Note pages: writing and signing a note, reading a signed note with its addenda and
//! co-signatures. The case page's goals panel, and supervision for administrators and for
//! supervisors, are in the submodules.

mod goals;
mod supervision;

pub use goals::GoalsPanel;
pub use supervision::{SupervisedNotesPage, SupervisionAdminPage};

use super::api::{AddAddendum, CosignNote, SaveNote, get_note};
use super::{NoteKind, NoteView};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error, textarea_text};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
#[cfg(feature = "hydrate")]
use std::collections::BTreeMap;

/// `/notes/:id`
#[component]
pub fn NotePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let note = Resource::new_blocking(id, get_note);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match note.await {
                        Ok(n) => Either::Left(view! { <NoteBody note=n /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn NoteBody(note: NoteView) -> impl IntoView {
    let query = use_query_map();
    let flag = move |k: &'static str| move || query.read().get(k).is_some();
    let (saved, signed, addendum, cosigned) = (
        flag("saved"),
        flag("signed"),
        flag("addendum"),
        flag("cosigned"),
    );
    let title = format!("{} \u{b7} {}", note.kind.label(), note.template.short());
    let draft = note.signature.is_none();
    view! {
        <Title text=format!("{title} · Trellis") />
        <p><a href=format!("/sessions/{}#notes", note.session_id)>{format!("\u{2190} Session of {} \u{b7} {}", note.session_when, note.case_name)}</a></p>
        <h1>{title}</h1>
        {(note.kind == NoteKind::Psychotherapy).then(|| view! {
            <p class="message message-info">"Private process notes: kept apart from the clinical record, read by you alone, and left out of reports and exports."</p>
        })}
        {move || saved().then(|| view! { <Notice>"Draft saved."</Notice> })}
        {move || signed().then(|| view! { <Notice>"Signed. The note is now locked."</Notice> })}
        {move || addendum().then(|| view! { <Notice>"Addendum signed and added."</Notice> })}
        {move || cosigned().then(|| view! { <Notice>"Co-signed."</Notice> })}
        <p class="muted">{format!("Written by {}", note.author)}</p>
        {if draft && note.is_author {
            Either::Left(view! { <DraftForm note=note.clone() /> })
        } else {
            Either::Right(view! { <SignedNote note=note.clone() /> })
        }}
    }
    .into_any()
}

#[component]
fn DraftForm(note: NoteView) -> impl IntoView {
    let save = ServerAction::<SaveNote>::new();
    view! {
        <NoteAutosave>
            <ActionForm action=save attr:class="form-stack note-form" attr:id="note-form">
                <ReturnTo />
                <ActionError error=error_of(save) />
                <input type="hidden" name="note_id" value=note.note_id.clone() />
                {note.sections.into_iter().map(|s| {
                    let field = format!("section-{}", s.key);
                    let help = format!("{field}-help");
                    view! {
                        <label for=field.clone()>{s.label}</label>
                        <p id=help.clone() class="help">{s.prompt}</p>
                        <textarea id=field name=format!("sections[{}]", s.key) rows="6" aria-describedby=help>{textarea_text(s.text)}</textarea>
                    }
                }).collect_view()}
                {(!note.goals.is_empty()).then(|| view! {
                    <fieldset>
                        <legend>"Goals this session addressed"</legend>
                        {note.goals.into_iter().map(|(g, on)| view! {
                            <label class="choice">
                                <input type="checkbox" name=format!("goals[{}]", super::goal_key(&g.goal_id)) value="on" checked=on />
                                " " {g.title}
                            </label>
                        }).collect_view()}
                    </fieldset>
                })}
                <p class="muted">{format!("Last saved {}. Only you can see a draft.", note.saved)}</p>
                <button type="submit" name="intent" value="draft" class="button-secondary">"Save draft"</button>
                <fieldset class="card sign-box">
                    <legend>"Sign and lock"</legend>
                    <p>"Signing saves what is above, then locks the note for good: it can never be edited or deleted, and corrections go in signed addenda."</p>
                    <label for="sign-password">"Your password, to confirm it is you"</label>
                    <input id="sign-password" name="password" type="password" autocomplete="current-password" />
                    <button type="submit" name="intent" value="sign" class="button-primary">"Sign the note"</button>
                </fieldset>
            </ActionForm>
        </NoteAutosave>
    }
    .into_any()
}

/// Saves the draft form a couple of seconds after the author stops typing, and says so.
/// Without JavaScript it does nothing; the form's "Save draft" button saves. What to save
/// comes from the form's own fields: an island's props would be sent as JSON, and the
/// browser carries no JSON reader (see `crate::wire`).
#[island]
fn NoteAutosave(children: Children) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let timer: StoredValue<Option<leptos::prelude::TimeoutHandle>> = StoredValue::new(None);
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use super::api::autosave_note;
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
            status.set("Unsaved changes\u{2026}".into());
            let handle = leptos::prelude::set_timeout_with_handle(
                move || {
                    let Some((note_id, sections, goals)) = draft_of(&form) else {
                        return;
                    };
                    leptos::task::spawn_local(async move {
                        status.set("Saving\u{2026}".into());
                        match autosave_note(note_id, sections, goals).await {
                            Ok(at) => status.set(format!("Saved automatically at {at}.")),
                            Err(e) => status
                                .set(format!("Not saved: {e} Use \u{201c}Save draft\u{201d}.")),
                        }
                    });
                },
                std::time::Duration::from_millis(1500),
            )
            .ok();
            timer.set_value(handle);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, timer);
    };
    view! {
        <div on:input=on_input>{children()}</div>
        <p class="help autosave-status" aria-live="polite">{move || status.get()}</p>
    }
}

/// A draft as the form holds it now: the note, its sections and the goals ticked (what
/// "Save draft" would post).
#[cfg(feature = "hydrate")]
type Draft = (String, BTreeMap<String, String>, BTreeMap<String, String>);

#[cfg(feature = "hydrate")]
fn draft_of(form: &web_sys::HtmlFormElement) -> Option<Draft> {
    use wasm_bindgen::JsCast;
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let note_id = data.get("note_id").as_string()?;
    let (mut sections, mut goals) = (BTreeMap::new(), BTreeMap::new());
    let fields = form
        .query_selector_all("textarea, input[type=checkbox]")
        .ok()?;
    for i in 0..fields.length() {
        let Some(field) = fields
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let name = field.get_attribute("name").unwrap_or_default();
        let key = |prefix: &str| Some(name.strip_prefix(prefix)?.strip_suffix(']')?.to_string());
        if let Some(k) = key("sections[") {
            sections.insert(k, data.get(&name).as_string().unwrap_or_default());
        } else if let Some(k) = key("goals[")
            && data.has(&name)
        {
            goals.insert(k, "on".to_string());
        }
    }
    Some((note_id, sections, goals))
}

#[component]
fn SignedNote(note: NoteView) -> impl IntoView {
    let addendum = ServerAction::<AddAddendum>::new();
    let cosign = ServerAction::<CosignNote>::new();
    let id = note.note_id.clone();
    let addressed: Vec<String> = note
        .goals
        .iter()
        .filter(|(_, on)| *on)
        .map(|(g, _)| g.title.clone())
        .collect();
    view! {
        {match note.signature.clone() {
            Some((by, at, hash)) => Either::Left(view! {
                <p class="signature"><strong>{format!("Signed by {by} on {at}.")}</strong>" Locked: it cannot be edited or deleted."</p>
                <p class="muted hash">{format!("Content fingerprint (SHA-256): {hash}")}</p>
            }),
            None => Either::Right(view! { <p class="message message-info">"A draft: its author has not signed it yet."</p> }),
        }}
        {note.cosignatures.into_iter().map(|(by, at)| view! { <p class="signature">{format!("Co-signed by {by} on {at}.")}</p> }).collect_view()}
        <dl class="note-sections">
            {note.sections.into_iter().map(|s| view! { <dt>{s.label}</dt><dd class="prose">{s.text}</dd> }).collect_view()}
        </dl>
        {(!addressed.is_empty()).then(|| view! { <p>{format!("Goals addressed: {}", addressed.join("; "))}</p> })}
        <section id="addenda" aria-labelledby="addenda-heading">
            <h2 id="addenda-heading">"Addenda"</h2>
            {if note.addenda.is_empty() {
                Either::Left(view! { <p class="muted">"None."</p> })
            } else {
                Either::Right(view! {
                    <ol class="addenda">
                        {note.addenda.into_iter().map(|a| view! {
                            <li><p class="prose">{a.body}</p><p class="muted">{format!("Signed by {} on {}", a.author, a.signed)}</p></li>
                        }).collect_view()}
                    </ol>
                })
            }}
            {(note.signature.is_some() && !note.can_cosign && note.is_author).then(|| {
                let id = id.clone();
                view! {
                    <ActionForm action=addendum attr:class="form-stack">
                        <ReturnTo />
                        <ActionError error=error_of(addendum) />
                        <input type="hidden" name="note_id" value=id />
                        <label for="addendum-body">"Add an addendum"</label>
                        <textarea id="addendum-body" name="body" rows="4" required></textarea>
                        <label for="addendum-password">"Your password, to sign it"</label>
                        <input id="addendum-password" name="password" type="password" autocomplete="current-password" />
                        <button type="submit" class="button-primary">"Sign and add the addendum"</button>
                    </ActionForm>
                }
            })}
        </section>
        {note.can_cosign.then(|| view! {
            <section class="card" aria-labelledby="cosign-heading">
                <h2 id="cosign-heading">"Co-sign as supervisor"</h2>
                <ActionForm action=cosign attr:class="form-stack">
                    <ReturnTo />
                    <ActionError error=error_of(cosign) />
                    <input type="hidden" name="note_id" value=id.clone() />
                    <label for="cosign-password">"Your password, to confirm it is you"</label>
                    <input id="cosign-password" name="password" type="password" autocomplete="current-password" />
                    <button type="submit" class="button-primary">"Co-sign the note"</button>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}
