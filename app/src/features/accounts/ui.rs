//! The administrator's list of accounts.

use super::api::list_accounts;
use leptos::prelude::*;

#[component]
pub fn AccountsList() -> impl IntoView {
    let accounts = Resource::new_blocking(|| (), |_| list_accounts());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => view! {
                        <table class="data-table">
                            <caption>"Everyone with an account in this practice"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Email"</th>
                                    <th scope="col">"Role"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Since"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|a| view! {
                                    <tr>
                                        <td>{a.display_name}</td>
                                        <td>{a.email}</td>
                                        <td>{a.role.label()}</td>
                                        <td>{a.status}</td>
                                        <td>{a.created_at.format("%Y-%m-%d").to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(err) => view! {
                        <p class="message message-error" role="alert">{err.to_string()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
