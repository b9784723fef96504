//! Fuzz target: the model loader on arbitrary bytes. `albsim::scenario::from_json` must return
//! Ok or Err: never panic, never hang, never allocate without bound (libFuzzer's -rss_limit_mb
//! and -timeout catch the last two).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // The CLI reads files with read_to_string: text that is not UTF-8 is rejected before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = albsim::scenario::from_json(text, Path::new("fuzz.json")) {
        // Rendering the message is part of the loader's job: it must not panic either.
        let message = e.to_string();
        assert!(!message.is_empty(), "empty error message");
    }
});
