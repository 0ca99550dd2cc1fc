// Starts Vigil's WebAssembly UI. A file of its own because the window's CSP allows no inline
// script; `vigil-ui.js` is wasm-bindgen's loader, which fetches `vigil-ui_bg.wasm` beside it.
import init from './vigil-ui.js';

init().catch((error) => {
  // The app could not even start: say so in the page rather than leave it blank.
  const banner = document.createElement('div');
  banner.className = 'error-banner';
  banner.setAttribute('role', 'alert');
  banner.setAttribute('data-testid', 'error-banner');
  banner.textContent = `Vigil's window failed to start: ${error}`;
  document.body.append(banner);
});
