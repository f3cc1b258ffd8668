//! Regenerates the client from `spec/` into `OUT_DIR` on every spec change:
//! the one OpenAPI/Swagger document there, with the overlays beside it applied
//! in file-name order, and the typed mocks of the `mock` feature. The spec is
//! ours: a warning (a part repaired, left out or ignored) fails the build.
//! `generated/` holds the same files for review; a test keeps them equal.

fn main() -> Result<(), oxgen::Error> {
    oxgen::Builder::new()
        .spec("spec")
        .mock(true)
        .deny_warnings(true)
        .generate()?;
    Ok(())
}
