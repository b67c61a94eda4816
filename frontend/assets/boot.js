// Loads the console: the wasm-bindgen glue (`frontend.js`) and the module it drives, both served
// next to this file under /assets/. Kept out of index.html so the CSP needs no inline script.
import init from './frontend.js';

init({ module_or_path: new URL('./frontend_bg.wasm', import.meta.url) });
