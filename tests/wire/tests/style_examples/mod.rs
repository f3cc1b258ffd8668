//! The values of the OpenAPI 3.1 specification's parameter style examples:
//! `color` = "blue", ["blue", "black", "brown"], {R: 100, G: 200, B: 150}.

use oxgen_wire_tests::types::Rgb;

pub fn colors() -> Vec<String> {
    vec!["blue".into(), "black".into(), "brown".into()]
}

pub fn rgb() -> Rgb {
    Rgb {
        r: Some(100),
        g: Some(200),
        b: Some(150),
    }
}
