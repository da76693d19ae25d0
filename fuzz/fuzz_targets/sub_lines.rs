//! Any bytes as `mint --sub-file` input: the one line reader
//! (`read::Lines`, as mint reads subs), then each sub into the claims
//! (`ClaimsTemplate::payload`, whose JSON must read back with that sub) and
//! the sub rule (`platform::sub_problem`). Never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uvtool::read::{Line, Lines};
use uvtool::token::{ClaimsSpec, ClaimsTemplate};

fn template() -> &'static ClaimsTemplate {
    static T: OnceLock<ClaimsTemplate> = OnceLock::new();
    T.get_or_init(|| {
        ClaimsTemplate::new(&ClaimsSpec {
            iss: Some("https://issuer.example".into()),
            ttl: Some(600),
            now: 1_800_000_000,
            ..ClaimsSpec::default()
        })
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut lines = Lines::new(data);
    let mut line = Line::default();
    let mut tpl = template().clone();
    let mut buf = Vec::new();
    // UTF-16 that does not decode is an error (mint refuses the file),
    // never a lossy sub.
    while let Ok(true) = lines.next_line(&mut line) {
        if line.over {
            continue;
        }
        let Ok(text) = std::str::from_utf8(&line.bytes) else {
            continue;
        };
        let sub = text.trim();
        if sub.is_empty() || sub.starts_with('#') {
            continue;
        }
        let _ = uvtool::platform::sub_problem(sub);
        tpl.payload(Some(sub), &mut buf).unwrap();
        let back: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(back["sub"], sub);
    }
});
