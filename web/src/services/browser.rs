//! Thin wrappers over browser APIs; each fails quietly into a `Result` with a message.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `content` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to create the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to create the file".to_string())?;
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("the browser refused to create a link")?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Starts copying `text` to the clipboard: the browser's promise of it, or a message when
/// the page has no clipboard (it is not served over https or from localhost).
pub fn copy(text: &str) -> Result<js_sys::Promise, String> {
    let navigator = window().navigator();
    let reachable = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|clipboard| !clipboard.is_undefined());
    if reachable {
        Ok(navigator.clipboard().write_text(text))
    } else {
        Err("this page cannot reach the clipboard (it needs https or localhost): copy from the address bar instead".into())
    }
}

/// Copies `text` to the clipboard, once the browser has; fails with a message when the page
/// has no clipboard or the browser refuses.
pub async fn copied(text: &str) -> Result<(), String> {
    let promise = copy(text)?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused to copy: copy from the address bar instead".into())
}

/// Reads a value from local storage.
pub fn stored(key: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Writes a value to local storage, or removes it with `None`.
pub fn store(key: &str, value: Option<&str>) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = match value {
            Some(v) => storage.set_item(key, v),
            None => storage.remove_item(key),
        };
    }
}

/// The location's query string with its `?`, or empty.
pub fn location_search() -> String {
    window().location().search().unwrap_or_default()
}

/// This page's address with `query` (no `?`) as its query.
pub fn address_with(query: &str) -> String {
    let location = window().location();
    format!(
        "{}{}?{query}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Sets the address to this page with `query` (no `?`): a new history entry when `push`,
/// else a replacement of the current one.
pub fn set_address(query: &str, push: bool) {
    let path = window().location().pathname().unwrap_or_default();
    let url = format!("{path}?{query}");
    if let Ok(history) = window().history() {
        let null = wasm_bindgen::JsValue::NULL;
        let _ = if push {
            history.push_state_with_url(&null, "", Some(&url))
        } else {
            history.replace_state_with_url(&null, "", Some(&url))
        };
    }
}

/// Reads a value from this tab's session storage.
pub fn stored_session(key: &str) -> Option<String> {
    window()
        .session_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Writes a value to this tab's session storage.
pub fn store_session(key: &str, value: &str) {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.set_item(key, value);
    }
}

/// Sets `data-theme` on the root element (`light`, `dark`, or removed for the system's).
pub fn apply_theme(theme: Option<&str>) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            Some(t) => root.set_attribute("data-theme", t),
            None => root.remove_attribute("data-theme"),
        };
    }
}

/// Posts `{type: "crossover:height", height}` to the parent frame whenever the page's
/// height changes, for an embedding page to size its iframe.
pub fn post_height_to_parent() {
    let Some(body) = document().body() else {
        return;
    };
    let send = move || {
        // The content's own height: the document's scroll height never falls below the
        // frame's, so an embed could grow but never shrink.
        let height = document()
            .body()
            .map_or(0.0, |b| b.get_bounding_client_rect().height())
            .ceil();
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"crossover:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from(height));
        if let Ok(Some(parent)) = window().parent() {
            let _ = parent.post_message(&message, "*");
        }
    };
    send();
    let callback = Closure::<dyn FnMut()>::new(send);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // The observer lives as long as the page.
        callback.forget();
    }
}

/// Removes the element with id `id` from the page, if there is one.
pub fn remove_element(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        element.remove();
    }
}

/// Tells the page that the address changed from outside its own state (a `popstate` event, as
/// back/forward sends), so that it reads the scenario from the link again.
pub fn announce_address_change() {
    if let Ok(event) = web_sys::PopStateEvent::new("popstate") {
        let _ = window().dispatch_event(&event);
    }
}

/// Calls `then` once, when the element with id `id` comes within `margin` (a CSS length) of
/// the viewport, or at once if it already is; nothing if there is no such element.
pub fn when_near_view(id: &str, margin: &str, then: impl FnOnce() + 'static) {
    let Some(element) = document().get_element_by_id(id) else {
        return;
    };
    let mut then = Some(then);
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let near = entries.iter().any(|entry| {
                entry
                    .unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if near {
                observer.disconnect();
                if let Some(then) = then.take() {
                    then();
                }
            }
        },
    );
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(margin);
    if let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
    {
        observer.observe(&element);
        // The observer holds the callback until it has fired and disconnected.
        callback.forget();
    }
}
