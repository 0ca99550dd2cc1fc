//! The entry point of Vigil's window. In the WebAssembly build it mounts the app into the page;
//! a native build only exists so `cargo test --workspace` can run the crate's pure helpers.

#[cfg(target_arch = "wasm32")]
fn main() {
    vigil_ui::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("vigil-ui runs inside the Vigil window: build it for wasm32 with ui/build.sh");
}
