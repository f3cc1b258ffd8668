//! Generates the client of `spec.yaml` into `OUT_DIR`, as the kantata crate does.

fn main() -> Result<(), oxgen::Error> {
    oxgen::Builder::new()
        .spec("spec.yaml")
        .mock(true)
        .generate()?;
    Ok(())
}
