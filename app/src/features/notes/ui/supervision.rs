//! Supervision pages: who supervises whom (administrators), and a supervisor's notes to
//! co-sign.

use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use crate::features::notes::api::{SetSupervision, list_supervision, my_supervised_notes};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/supervision`: who supervises whom.
#[component]
pub fn SupervisionAdminPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| list_supervision());
    let action = ServerAction::<SetSupervision>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    view! {
        <SignedIn>
            <Title text="Supervision · Trellis" />
            <h1>"Supervision"</h1>
            <p>"A supervisor can read and co-sign the signed progress notes of the counselors they supervise. They cannot edit them, and never see psychotherapy notes."</p>
            {move || saved().then(|| view! { <Notice>"Supervision saved."</Notice> })}
            <ActionError error=error_of(action) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((pairs, counselors)) => Either::Left(view! {
                            {if pairs.is_empty() {
                                Either::Left(view! { <p class="empty-state">"Nobody is supervised yet."</p> })
                            } else {
                                Either::Right(view! {
                                    <ul>
                                        {pairs.into_iter().map(|p| view! {
                                            <li>
                                                {format!("{} supervises {} ", p.supervisor, p.supervisee)}
                                                <ActionForm action=action attr:class="inline-form">
                                                    <ReturnTo />
                                                    <input type="hidden" name="supervisor_id" value=p.supervisor_id />
                                                    <input type="hidden" name="supervisee_id" value=p.supervisee_id />
                                                    <input type="hidden" name="on" value="off" />
                                                    <button type="submit" class="button-secondary button-small">{format!("End {}'s supervision of {}", p.supervisor, p.supervisee)}</button>
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })
                            }}
                            <ActionForm action=action attr:class="form-stack">
                                <ReturnTo />
                                <label for="supervisor">"Supervisor"</label>
                                <select id="supervisor" name="supervisor_id">
                                    {counselors.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                                </select>
                                <label for="supervisee">"Supervises"</label>
                                <select id="supervisee" name="supervisee_id">
                                    {counselors.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                                </select>
                                <input type="hidden" name="on" value="on" />
                                <button type="submit" class="button-primary">"Add supervision"</button>
                            </ActionForm>
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

/// `/supervision`: a supervisor's list of their supervisees' signed notes.
#[component]
pub fn SupervisedNotesPage() -> impl IntoView {
    let notes = Resource::new_blocking(|| (), |_| my_supervised_notes());
    view! {
        <SignedIn>
            <Title text="Notes to co-sign · Trellis" />
            <h1>"Notes of the counselors you supervise"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match notes.await {
                        Ok(list) if list.is_empty() => Either::Left(Either::Left(view! {
                            <p class="empty-state">"No signed notes from counselors you supervise."</p>
                        })),
                        Ok(list) => Either::Left(Either::Right(view! {
                            <ul class="note-list">
                                {list.into_iter().map(|n| view! {
                                    <li>
                                        <a href=format!("/notes/{}", n.note_id)>{format!("{} \u{b7} {} \u{b7} {}", n.case_name, n.session_when, n.template.short())}</a>
                                        <span class="muted">{format!(" \u{b7} by {} \u{b7} {}", n.author, if n.cosigned { "co-signed" } else { "not co-signed yet" })}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
