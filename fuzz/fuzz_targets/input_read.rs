//! Any bytes through the one reader and the policy, as `check` reads a file:
//! recognise (`read::kind_of`), build the lenient view (`read::classify`),
//! run every key rule on a key document and the whole token evaluation on a
//! token, under both profiles. Never a panic; every finding names a rule.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::read::{self, Input};
use uvtool::policy::{self, Profile, Settings};

fuzz_target!(|data: &[u8]| {
    let _ = read::kind_of(data);
    let Ok(inp) = read::classify(data, "fuzz") else {
        return;
    };
    for profile in [Profile::Platform, Profile::Rfc] {
        let s = Settings {
            profile,
            now: 1_800_000_000,
            ..Default::default()
        };
        let mut findings = Vec::new();
        match &inp {
            Input::Keys(doc) => {
                policy::keys::run(doc, &s, &mut findings);
                let per_key = policy::keys::for_each_key(doc, &s);
                assert_eq!(per_key.len(), doc.keys.len());
            }
            Input::Token(t) => {
                let v = policy::evaluate(&t.text, "fuzz", None, "none", &s);
                findings = v.findings;
            }
            Input::Endpoint(_) => {}
        }
        for f in &findings {
            assert!(policy::rule(f.rule).is_some(), "{f:?}");
        }
    }
});
