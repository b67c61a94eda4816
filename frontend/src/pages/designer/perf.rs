//! A test hook for the browser suite: with `?perf=1` in the address, the designer records how
//! long its first render took in `window.__designerRenderMs`, and the mean time from a drag's
//! pointer move to the next frame in `window.__designerDragMs`.

use leptos::prelude::*;
use web_sys::js_sys::Reflect;
use web_sys::wasm_bindgen::JsValue;

/// Milliseconds since the page started (`performance.now()`).
pub fn now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or_default()
}

/// Whether the address asks for measurements.
pub fn enabled() -> bool {
    window()
        .location()
        .search()
        .is_ok_and(|search| search.trim_start_matches('?').split('&').any(|pair| pair == "perf=1"))
}

/// Sets `window[name] = value`.
pub fn record(name: &str, value: f64) {
    let _ = Reflect::set(&window(), &JsValue::from_str(name), &JsValue::from_f64(value));
}

/// Frame latencies of the current drag.
#[derive(Debug, Clone, Default)]
pub struct DragMeter {
    samples: Vec<f64>,
    waiting: bool,
}

/// Called on each pointer move of a stage drag: measures until the next animation frame, one
/// measurement at a time.
pub fn measure_move(meter: StoredValue<DragMeter>) {
    if meter.with_value(|m| m.waiting) {
        return;
    }
    let started = now();
    meter.update_value(|m| m.waiting = true);
    request_animation_frame(move || {
        meter.try_update_value(|m| {
            m.samples.push(now() - started);
            m.waiting = false;
        });
    });
}

/// Called when the drag ends: publishes the mean and starts afresh.
pub fn finish_drag(meter: StoredValue<DragMeter>) {
    let samples = meter.try_update_value(|m| std::mem::take(&mut m.samples)).unwrap_or_default();
    if !samples.is_empty() {
        record("__designerDragMs", samples.iter().sum::<f64>() / samples.len() as f64);
        record("__designerDragFrames", samples.len() as f64);
    }
}
