//! `/admin/couples`: which counselor has which couple, and reassigning them.

use super::page_param;
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use crate::features::admin::api::{ReassignCouple, list_couples};
use crate::features::admin::{Choice, CouplesPage};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/couples`: which counselor has which couple, and reassigning them.
#[component]
pub fn CouplesAdminPage() -> impl IntoView {
    let page = page_param();
    let data = Resource::new_blocking(page, list_couples);
    let query = use_query_map();
    let reassigned = move || query.read().get("reassigned").is_some();
    let action = ServerAction::<ReassignCouple>::new();
    view! {
        <SignedIn>
            <Title text="Couples · Trellis" />
            <h1>"Couples and their counselors"</h1>
            <p class="help">"Administrators see who each couple is with, never what is in their case."</p>
            {move || reassigned().then(|| view! { <Notice>"The couple has been reassigned."</Notice> })}
            <ActionError error=error_of(action) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => Either::Left(view! { <CouplesTable data=data action=action /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CouplesTable(data: CouplesPage, action: ServerAction<ReassignCouple>) -> impl IntoView {
    if data.couples.is_empty() {
        return Either::Left(view! { <p class="empty-state">"No couples yet."</p> });
    }
    let pages = (data.total + data.per_page - 1) / data.per_page;
    let counselors = data.counselors;
    Either::Right(view! {
        <table class="data-table">
            <caption>{format!("{} couples", data.total)}</caption>
            <thead>
                <tr>
                    <th scope="col">"Couple"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Counselor"</th>
                    <th scope="col">"Reassign to"</th>
                </tr>
            </thead>
            <tbody>
                {data.couples.into_iter().map(|c| {
                    let select_id = format!("counselor-{}", c.couple_id);
                    let options = counselors.iter().filter(|o| o.id != c.counselor_id).map(|o: &Choice| view! {
                        <option value=o.id.clone()>{o.label.clone()}</option>
                    }).collect_view();
                    view! {
                        <tr>
                            <td>{c.case_name.clone()}</td>
                            <td>{c.status.label()}</td>
                            <td>{c.counselor_name}</td>
                            <td>
                                <ActionForm action=action attr:class="inline-form reassign">
                                    <ReturnTo />
                                    <input type="hidden" name="couple_id" value=c.couple_id.clone() />
                                    <label for=select_id.clone() class="visually-hidden">{format!("New counselor for {}", c.case_name)}</label>
                                    <select id=select_id name="counselor_id" required>
                                        <option value="">"Choose a counselor"</option>
                                        {options}
                                    </select>
                                    <button type="submit" class="button-secondary button-small"
                                        aria-label=format!("Reassign {}", c.case_name)>"Reassign"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages">
                {(data.page > 1).then(|| view! { <a href=format!("/admin/couples?page={}", data.page - 1)>"Previous"</a> })}
                <span>{format!("Page {} of {pages}", data.page)}</span>
                {(data.page < pages).then(|| view! { <a href=format!("/admin/couples?page={}", data.page + 1)>"Next"</a> })}
            </nav>
        })}
    })
}
